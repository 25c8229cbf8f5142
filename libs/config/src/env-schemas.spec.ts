import { checkedList, listEntries } from './env-schemas';

describe('comma-separated variables', () => {
  it('splits, trims and drops blanks', () => {
    expect(listEntries(' a, b ,,c ,')).toEqual(['a', 'b', 'c']);
    expect(listEntries('')).toEqual([]);
  });

  it('names the first entry that fails its check', () => {
    const digits = checkedList((entry) => (/^\d+$/.test(entry) ? undefined : `"${entry}" is not a number`), '1,2');
    expect(digits.parse(undefined)).toEqual(['1', '2']);
    expect(digits.parse('3, 4')).toEqual(['3', '4']);
    expect(digits.safeParse('3,x,y').error?.issues.map((i) => i.message)).toEqual(['"x" is not a number']);
  });
});
