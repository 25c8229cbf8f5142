import type { Response } from 'express';
import type { FieldViolation } from '@crm/errors';

// RFC 9457 problem details.
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldViolation[];
  [extension: string]: unknown;
}

export function sendProblem(res: Response, problem: Problem): void {
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify({ type: 'about:blank', ...problem }));
}
