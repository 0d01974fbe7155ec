import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestRecommendation } from "../models/interest-recommendation"

/**
 * Precomputed lists (`interest_recommendation`) as training writes them: in
 * bulk (sql/trained-rows.ts, through InterestModelVersionRepository.saveTrained),
 * one set per model version.
 */
export const InterestRecommendationRepository = dataSource.getRepository(InterestRecommendation).extend({
  /**
   * @param versionId - the version whose lists lose the subjects
   * @param subjects - customer ids and visitor subjects
   * @return how many lists were deleted
   */
  async deleteSubjectsOfVersion(versionId: string, subjects: string[]): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, affected]: [unknown[], number] = await this.query(
      `DELETE FROM interest_recommendation WHERE model_version_id = $1 AND subject_id = ANY($2)`,
      [versionId, subjects]
    )
    return affected
  },
})

export default InterestRecommendationRepository
