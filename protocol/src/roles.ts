/**
 * Perfect-negotiation roles, per pair of members (W3C WebRTC 1.0, §10.7 "Perfect negotiation
 * example"): on an offer collision the polite side rolls back its own offer and answers, the
 * impolite side ignores the incoming offer.
 *
 * Each client derives the role of every pair from the two members' `peerId`s, so nobody has to
 * hand roles out and both sides always agree: **the member with the greater `peerId` is polite
 * toward the other** (compared as strings, by UTF-16 code units, as JavaScript's `<` does). A
 * `peerId` survives rejoins, so a leg keeps its roles when either side reconnects.
 */

/**
 * True when the member `self` is the polite one toward the member `other`.
 * @param self our own `peerId` (the join answer's `self.peerId`)
 * @param other the other member's `peerId`
 * @throws RangeError when the two are equal: nobody negotiates with itself.
 */
export function isPolite(self: string, other: string): boolean {
  if (self === other) throw new RangeError('A member has no role toward itself.');
  return self > other;
}
