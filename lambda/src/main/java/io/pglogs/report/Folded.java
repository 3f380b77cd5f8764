package io.pglogs.report;

/**
 * What a bounded table (a streaming top-k, Space-Saving) could not keep apart: memory stays bounded whatever the
 * window, and the report says how much it folded. Totals of the section still count the folded entries.
 *
 * @param capacity the most groups the table keeps ({@code --max-fingerprints})
 * @param groups   groups (fingerprints, messages) pushed out of the table to make room for others
 * @param entries  the entries those groups held when they were pushed out
 */
public record Folded(int capacity, long groups, long entries) {
    public boolean any() {
        return groups > 0;
    }
}
