import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestProfile } from "../models/interest-profile"

/**
 * Interest profiles (`interest_profile`), one per subject and period. Training
 * writes them in bulk (sql/trained-rows.ts, through InterestModelVersionRepository.saveTrained).
 */
export const InterestProfileRepository = dataSource.getRepository(InterestProfile).extend({
  /**
   * @param subjects - customer ids and visitor subjects
   * @return how many rows were deleted
   */
  async deleteSubjects(subjects: string[]): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, affected]: [unknown[], number] = await this.query(`DELETE FROM interest_profile WHERE subject_id = ANY($1)`, [subjects])
    return affected
  },
})

export default InterestProfileRepository
