import { enumCodec, type EnumCodec } from './enum-codec';
import { DealStatus } from './generated/crm/v1/deal';
import { WireValueError } from './wire-value-error';

describe('enumCodec', () => {
  const status = enumCodec({ open: DealStatus.DEAL_STATUS_OPEN, won: DealStatus.DEAL_STATUS_WON, lost: DealStatus.DEAL_STATUS_LOST });

  it('maps both ways', () => {
    expect(status.toProto('won')).toBe(DealStatus.DEAL_STATUS_WON);
    expect(status.fromProto(DealStatus.DEAL_STATUS_LOST)).toBe('lost');
  });

  it('answers undefined for UNSPECIFIED and unknown values', () => {
    expect(status.fromProto(DealStatus.DEAL_STATUS_UNSPECIFIED)).toBeUndefined();
    expect(status.fromProto(99)).toBeUndefined();
  });

  it('sends an unset value as UNSPECIFIED', () => {
    expect(status.toProtoOrUnspecified('')).toBe(DealStatus.DEAL_STATUS_UNSPECIFIED);
    expect(status.toProtoOrUnspecified(null)).toBe(DealStatus.DEAL_STATUS_UNSPECIFIED);
    expect(status.toProtoOrUnspecified('open')).toBe(DealStatus.DEAL_STATUS_OPEN);
  });

  describe('a field of a request', () => {
    const named = enumCodec(
      { open: DealStatus.DEAL_STATUS_OPEN, won: DealStatus.DEAL_STATUS_WON, lost: DealStatus.DEAL_STATUS_LOST },
      { protoEnum: DealStatus },
    );

    it('is undefined when unset and the name when known', () => {
      expect(named.fromRequest(DealStatus.DEAL_STATUS_UNSPECIFIED, 'status')).toBeUndefined();
      expect(named.fromRequest(DealStatus.DEAL_STATUS_WON, 'status')).toBe('won');
    });

    it('refuses a value this build does not know, naming the field and the values it takes', () => {
      expect(() => named.fromRequest(7, 'status')).toThrow(WireValueError);
      try {
        named.fromRequest(-1, 'status');
      } catch (err) {
        expect((err as WireValueError).code).toBe('INVALID_ARGUMENT');
        expect((err as WireValueError).violations).toEqual([
          { field: 'status', rule: 'enum', message: '-1 is not a valid value; expected OPEN, WON or LOST' },
        ]);
      }
      expect.assertions(3);
    });
  });

  it('reads a name as text, with the older spellings it was given', () => {
    const roles = enumCodec({ 'decision-maker': 1, user: 3 }, { aliases: { decision_maker: 'decision-maker' } });
    expect(roles.fromName('decision-maker')).toBe('decision-maker');
    expect(roles.fromName('decision_maker')).toBe('decision-maker');
    expect(roles.fromName('Decision-Maker')).toBeUndefined();
    expect(roles.fromName('toString')).toBeUndefined();
    expect(roles.fromName(1)).toBeUndefined();
    expect(roles.names).toEqual(['decision-maker', 'user']);
    expect(roles.spellings).toEqual(['decision-maker', 'user', 'decision_maker']);
    expect(roles.canonical('decision_maker')).toBe('decision-maker');
    expect(roles.canonical('user')).toBe('user');
  });

  it('types a codec so that a service union must hold exactly its names', () => {
    type Same = 'open' | 'won' | 'lost';
    const same: EnumCodec<Same, DealStatus> = status;
    // @ts-expect-error a union with a value the codec does not know
    const wider: EnumCodec<Same | 'pending', DealStatus> = status;
    // @ts-expect-error a union missing one of the codec's values
    const narrower: EnumCodec<'open' | 'won', DealStatus> = status;
    expect([same, wider, narrower]).toHaveLength(3);
  });
});
