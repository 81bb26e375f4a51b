package io.anymq.tck;

import io.anymq.TransactionException;

import java.util.List;
import java.util.Map;

/**
 * What the kill-during-commit scenario counted, by transaction.
 *
 * @param transactions  transactions begun
 * @param committed     commits that returned
 * @param aborted       commits that threw {@code ABORTED}
 * @param unknown       commits that threw {@code UNKNOWN}
 * @param unknownVisible of the unknown ones, those wholly visible afterwards
 * @param halfVisible   transactions of which part, not all, is visible (must be 0)
 * @param abortedVisible transactions that threw {@code ABORTED} and are visible (must be 0)
 * @param lostSends     sends of commits that returned and never arrived (must be 0)
 */
record TransactionCount(int transactions, int committed, int aborted, int unknown, int unknownVisible, int halfVisible,
                        int abortedVisible, long lostSends) {

    /** Sends per transaction in the kill-during-commit scenario. */
    static final int SENDS = 10;

    static TransactionCount of(List<String> order, Map<String, TransactionException.Outcome> outcomes, Map<String, Integer> visible,
                               int size) {
        int committed = 0;
        int aborted = 0;
        int unknown = 0;
        int unknownVisible = 0;
        int half = 0;
        int abortedVisible = 0;
        long lost = 0;
        for (String tx : order) {
            int seen = visible.getOrDefault(tx, 0);
            if (seen > 0 && seen < size) {
                half++;
            }
            TransactionException.Outcome o = outcomes.get(tx);
            if (o == null) {
                committed++;
                lost += size - seen;
            } else if (o == TransactionException.Outcome.ABORTED) {
                aborted++;
                abortedVisible += seen > 0 ? 1 : 0;
            } else {
                unknown++;
                unknownVisible += seen == size ? 1 : 0;
            }
        }
        return new TransactionCount(order.size(), committed, aborted, unknown, unknownVisible, half, abortedVisible, lost);
    }

    @Override
    public String toString() {
        return transactions + " transactions of " + SENDS + " sends: " + committed + " committed, " + aborted
                + " aborted, " + unknown + " unknown (" + unknownVisible + " visible, " + (unknown - unknownVisible)
                + " not), " + halfVisible + " half-visible, " + abortedVisible + " aborted but visible, " + lostSends + " sends lost";
    }
}
