import type { Response } from 'express';
import type { ErrorReason, FieldViolation } from '@crm/errors';

// RFC 9457 problem details, with the refusal's stable reason (the catalogue in @crm/errors) as an extension member:
// a client branches on `reason`, never on `detail`'s text.
export interface Problem {
  type?: string;
  title: string;
  status: number;
  reason: ErrorReason;
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
