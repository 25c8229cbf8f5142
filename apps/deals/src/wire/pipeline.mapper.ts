import { int64ToProto, type Pipeline as ProtoPipeline, type PipelineStage as ProtoStage } from '@crm/contracts';
import type { Pipeline, PipelineDefinition, Stage } from '../domain/pipeline';

function toProtoStage(stage: Stage): ProtoStage {
  return { id: stage.id, labelEs: stage.label.es, labelEn: stage.label.en, probability: stage.probability, rottingDays: stage.rottingDays };
}

export function toProtoPipeline(pipeline: Pipeline): ProtoPipeline {
  return {
    id: pipeline.id,
    name: pipeline.name,
    stages: pipeline.stages.map(toProtoStage),
    cycleDays: pipeline.cycleDays,
    interests: pipeline.interests,
    sourceChannels: pipeline.sourceChannels,
    isDefault: pipeline.isDefault,
    version: int64ToProto(pipeline.version),
    createdAt: pipeline.createdAt,
    updatedAt: pipeline.updatedAt,
    createdBy: pipeline.createdBy,
    updatedBy: pipeline.updatedBy,
  };
}

// A definition from a request, not yet validated (validatePipeline does that).
export function definitionFromProto(req: {
  name: string;
  stages: ProtoStage[];
  cycleDays: number;
  interests: string[];
  sourceChannels: string[];
}): PipelineDefinition {
  return {
    name: req.name,
    stages: req.stages.map((s) => ({
      id: s.id,
      label: { es: s.labelEs, en: s.labelEn },
      probability: s.probability,
      rottingDays: s.rottingDays,
    })),
    cycleDays: req.cycleDays,
    interests: req.interests,
    sourceChannels: req.sourceChannels,
  };
}
