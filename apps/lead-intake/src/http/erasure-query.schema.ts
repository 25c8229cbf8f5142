import { z } from 'zod';
import { erasureReasons } from '../domain/lead';

// DELETE /v1/leads/{id}: why the person is erased; a person's own request unless said otherwise.
export const erasureQuerySchema = z.strictObject(
  {
    reason: z.enum(erasureReasons, { message: `must be one of ${erasureReasons.join(', ')}` }).default('subject-request'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.join(', ')}` : undefined) },
);
