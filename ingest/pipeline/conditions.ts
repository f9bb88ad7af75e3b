import type { ProductCondition as Condition } from '../../lib/reference';

/**
 * eBay condition ids (https://developer.ebay.com/devzone/finding/callref/enums/conditionIdList.html)
 * by range: 1000 new; 1500 "new other" and 1750 "new with defects" are open-box-like;
 * 2000-2500 the refurbished grades; 2750-6000 used grades; 7000 for parts.
 */
function conditionFromEbayId(id: number): Condition {
  if (id === 1000) return 'NEW';
  if (id === 1500 || id === 1750) return 'OPEN_BOX';
  if (id >= 2000 && id <= 2500) return 'REFURBISHED';
  if (id >= 2750 && id <= 6000) return 'USED';
  if (id === 7000) return 'FOR_PARTS';
  return 'UNKNOWN';
}

/**
 * Words marketplaces use (eBay in English and German, Amazon and Amazon JP, Keepa, Etsy,
 * shop exports), most specific first: "New other" and "Used - Like New" are open box before
 * "new" or "used" match, "中古品 - ほぼ新品" before "新品".
 */
const WORD_RULES: readonly [RegExp, Condition][] = [
  [/for parts|not working|defekt|ersatzteil|ジャンク/i, 'FOR_PARTS'],
  [/refurb|renewed|generalüberholt|überholt|整備済|再生品/i, 'REFURBISHED'],
  [/new other|open box|like new|new with defects|offene verpackung|neu: sonstige|ほぼ新品|未使用に近い/i, 'OPEN_BOX'],
  [/used|pre-owned|preowned|gebraucht|vintage|中古|collectible/i, 'USED'],
  [/\bnew\b|brand new|\bneu\b|handmade|新品/i, 'NEW'],
];

/**
 * Maps a marketplace's condition id and words to the normalized enum; the id wins when it is
 * a known eBay id. Returns null when the record says nothing about its condition (the stored
 * value is kept), UNKNOWN when it says something unrecognized.
 * @example normalizeCondition('3000', 'Pre-owned') // 'USED'
 */
export function normalizeCondition(
  conditionId: string | null | undefined,
  words: string | null | undefined,
): Condition | null {
  const id = conditionId?.trim();
  if (id && /^\d+$/.test(id)) {
    const fromId = conditionFromEbayId(Number(id));
    if (fromId !== 'UNKNOWN') return fromId;
  }
  const text = words?.trim();
  if (!text) return id ? 'UNKNOWN' : null;
  for (const [pattern, condition] of WORD_RULES) if (pattern.test(text)) return condition;
  return 'UNKNOWN';
}
