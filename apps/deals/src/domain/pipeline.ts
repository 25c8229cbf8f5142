// A sales pipeline: ordered stages, each with a win probability, and the typical length of a sale.
export interface Stage {
  id: string;
  label: { es: string; en: string };
  // Win probability in percent, 0 to 100.
  probability: number;
}

export interface Pipeline {
  id: string;
  name: string;
  stages: Stage[];
  // Days from opening to the expected close date.
  cycleDays: number;
}

export const defaultSalesPipeline: Pipeline = {
  id: 'sales',
  name: 'Ventas / Sales',
  cycleDays: 30,
  stages: [
    { id: 'qualified', label: { es: 'Calificado', en: 'Qualified' }, probability: 10 },
    { id: 'contacted', label: { es: 'Contactado', en: 'Contacted' }, probability: 20 },
    { id: 'proposal_sent', label: { es: 'Propuesta enviada', en: 'Proposal sent' }, probability: 50 },
    { id: 'negotiation', label: { es: 'Negociación', en: 'Negotiation' }, probability: 75 },
  ],
};

export function findStage(pipeline: Pipeline, stageId: string): Stage | undefined {
  return pipeline.stages.find((stage) => stage.id === stageId);
}
