import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { Type } from "class-transformer"
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from "class-validator"
import { PLACEMENTS } from "../../../../engine/pipeline"
import InterestExperimentService, { ARM_STRATEGIES } from "../../../../services/interest-experiment"
import type { ArmStrategy, ExperimentStatus } from "../../../../types/experiments"

const ARM_NAME = /^[A-Za-z0-9_-]{1,40}$/

export class AdminGetInterestExperimentsParams {
  @IsOptional()
  @IsIn(["draft", "running", "stopped"])
  status?: ExperimentStatus

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number = 0

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 20
}

/** Experiments, newest first. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestExperimentsParams, req.query)
  const offset = query.offset ?? 0
  const limit = query.limit ?? 20
  const [experiments, count] = await req.scope
    .resolve<InterestExperimentService>("interestExperimentService")
    .listAndCount({ status: query.status }, { skip: offset, take: limit })
  res.json({ experiments, count, offset, limit })
}

export class AdminPostInterestExperimentArm {
  @IsString()
  @Matches(ARM_NAME, { message: "an arm's name must be 1-40 characters of A-Z, a-z, 0-9, _ or -" })
  name: string

  /** Fraction of the placement's shoppers; the arms' shares sum to 1. */
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: "an arm's share must be a number" })
  share: number

  @IsIn(ARM_STRATEGIES as unknown as string[], { message: `an arm's strategy must be one of: ${ARM_STRATEGIES.join(", ")}` })
  strategy: ArmStrategy

  /** A `model` arm only: the stored, ready version serving the arm instead of the active one. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_]{1,64}$/, { message: "an arm's model_version_id must be a model version id" })
  model_version_id?: string
}

export class AdminPostInterestExperimentsReq {
  @IsString()
  @Matches(/\S/, { message: "name must not be blank" })
  @MaxLength(120)
  name: string

  @IsIn(PLACEMENTS as unknown as string[], { message: `placement must be one of: ${PLACEMENTS.join(", ")}` })
  placement: string

  @IsArray()
  @ArrayMinSize(2, { message: "an experiment needs at least two arms" })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AdminPostInterestExperimentArm)
  arms: AdminPostInterestExperimentArm[]

  /** The arm the others are compared with (default: the first arm that is not `model`). */
  @IsOptional()
  @IsString()
  @Matches(ARM_NAME, { message: "control_arm must be an arm's name" })
  control_arm?: string
}

/** Creates a draft experiment (start it with POST .../start). */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const body = await validator(AdminPostInterestExperimentsReq, req.body ?? {})
  const experiment = await req.scope.resolve<InterestExperimentService>("interestExperimentService").create(body)
  res.status(201).json({ experiment })
}
