import { EmailDomainKind, QualificationDecision } from './generated/crm/v1/qualification';
import { enumCodec } from './enum-codec';

export const qualificationDecisionCodec = enumCodec(
  {
    qualified: QualificationDecision.QUALIFICATION_DECISION_QUALIFIED,
    nurturing: QualificationDecision.QUALIFICATION_DECISION_NURTURING,
    disqualified: QualificationDecision.QUALIFICATION_DECISION_DISQUALIFIED,
  },
  { protoEnum: QualificationDecision },
);

export const emailDomainKindCodec = enumCodec(
  {
    company: EmailDomainKind.EMAIL_DOMAIN_KIND_COMPANY,
    free: EmailDomainKind.EMAIL_DOMAIN_KIND_FREE,
    disposable: EmailDomainKind.EMAIL_DOMAIN_KIND_DISPOSABLE,
    none: EmailDomainKind.EMAIL_DOMAIN_KIND_NONE,
  },
  { protoEnum: EmailDomainKind },
);
