package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryClassifier;
import io.pglogs.forwarder.parse.EntryKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Which entries by what they are (docs/schema.md "Kinds"): their kind, a least {@code duration_ms}, a statement
 * fingerprint. In a table of one item per entry all of it is a filter expression on DynamoDB's side; in a compact
 * table the kinds are (an item lists its entries' kinds in {@code kinds}) and a least duration skips items holding no
 * kind that carries one, and every entry unpacked is then matched exactly here.
 *
 * @param kinds         null for any
 * @param minDurationMs null for any (entries without a duration then match)
 * @param fingerprint   null for any
 */
public record EntryMatch(Set<String> kinds, BigDecimal minDurationMs, String fingerprint) {
    public static final EntryMatch ANY = new EntryMatch(null, null, null);
    /** The kinds whose entries carry {@code duration_ms}. */
    static final List<String> KINDS_WITH_DURATION = List.of(EntryKind.STATEMENT_DURATION, EntryKind.AUTO_EXPLAIN);

    public boolean isAny() {
        return kinds == null && minDurationMs == null && fingerprint == null;
    }

    /** Exactly, on one entry as stored (unpacked from a compact item, or read back). */
    public boolean matches(Map<String, AttributeValue> entry) {
        if (kinds != null && !kinds.contains(s(entry.get(ItemContract.KIND)))) {
            return false;
        }
        if (minDurationMs != null) {
            AttributeValue d = entry.get(ItemContract.DURATION_MS);
            if (d == null || d.n() == null || new BigDecimal(d.n()).compareTo(minDurationMs) < 0) {
                return false;
            }
        }
        return fingerprint == null || fingerprint.equals(s(entry.get(ItemContract.FINGERPRINT)));
    }

    public boolean matches(LogRow row) {
        if (kinds != null && !kinds.contains(row.text(ItemContract.KIND))) {
            return false;
        }
        if (minDurationMs != null) {
            String d = row.text(ItemContract.DURATION_MS);
            if (d == null || new BigDecimal(d).compareTo(minDurationMs) < 0) {
                return false;
            }
        }
        return fingerprint == null || fingerprint.equals(row.text(ItemContract.FINGERPRINT));
    }

    private static String s(AttributeValue v) {
        return v == null ? null : v.s();
    }

    /**
     * The conditions of a table of one item per entry: exact for entries stored with a kind. One stored before
     * entries had kinds passes (its kind is derived where it is read, {@link LegacyEntries}, and matched there).
     */
    void addEntryConditions(Map<String, String> names, Map<String, AttributeValue> values, List<String> conditions) {
        if (isAny()) {
            return;
        }
        List<String> mine = new ArrayList<>();
        names.put("#kind", ItemContract.KIND);
        if (kinds != null) {
            mine.add("#kind IN (" + String.join(", ", placeholders(values, "kind", kinds)) + ")");
        }
        if (minDurationMs != null) {
            names.put("#dur", ItemContract.DURATION_MS);
            values.put(":dur", AttributeValue.fromN(minDurationMs.toPlainString()));
            mine.add("#dur >= :dur");
        }
        if (fingerprint != null) {
            names.put("#fp", ItemContract.FINGERPRINT);
            values.put(":fp", AttributeValue.fromS(fingerprint));
            mine.add("#fp = :fp");
        }
        conditions.add("(attribute_not_exists(#kind) OR (" + String.join(" AND ", mine) + "))");
    }

    /**
     * The conditions of a compact table's Query: an item of this version's rules ({@code kv}) is read only if its
     * {@code kinds} may hold a match, unless a routine kind is asked for, which items do not list; any other item is
     * read. The rest is exact per entry.
     */
    void addCompactConditions(Map<String, String> names, Map<String, AttributeValue> values, List<String> conditions) {
        List<String> wanted = kinds != null ? new ArrayList<>(kinds) : minDurationMs != null
                ? new ArrayList<>(KINDS_WITH_DURATION) : null;
        if (kinds != null && minDurationMs != null) {
            wanted.retainAll(KINDS_WITH_DURATION);
        }
        if (wanted == null || wanted.stream().anyMatch(EntryKind.ROUTINE::contains)) {
            // Items do not list the routine kinds: for them every item is read and its entries matched here.
            return;
        }
        names.put("#kind", ItemContract.KIND);
        if (wanted.isEmpty()) {
            // No asked-for kind carries a duration: nothing can match.
            values.put(":nokind", AttributeValue.fromS(""));
            conditions.add("#kind = :nokind");
            return;
        }
        names.put("#kinds", ItemContract.KINDS);
        names.put("#kv", ItemContract.KINDS_VERSION);
        values.put(":kv", AttributeValue.fromN(Integer.toString(EntryClassifier.VERSION)));
        List<String> p = placeholders(values, "kind", wanted);
        List<String> contains = new ArrayList<>();
        for (String k : p) {
            contains.add("contains(#kinds, " + k + ")");
        }
        // Only kinds read by this version's rules say what an item holds: an item of other rules (or of none, written
        // before items listed kinds, or an entry item from before the table was compact) is opened and its entries
        // classified again (CompactItems.entries), as is an entry stored without a kind.
        conditions.add("(attribute_not_exists(#kv) OR #kv <> :kv OR #kind IN (" + String.join(", ", p) + ") OR "
                + String.join(" OR ", contains) + ")");
    }

    private static List<String> placeholders(Map<String, AttributeValue> values, String prefix,
                                             java.util.Collection<String> texts) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String t : texts) {
            String p = ":" + prefix + i++;
            values.put(p, AttributeValue.fromS(t));
            out.add(p);
        }
        return out;
    }

    /**
     * A duration as given on the command line, in milliseconds: {@code 250ms}, {@code 1.5s}, {@code 2m}, {@code 1h};
     * a bare number is milliseconds.
     */
    public static BigDecimal parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|min)?").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use 250ms, 1.5s, 2m or 1h");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "ms" -> n;
            case "s" -> n.multiply(BigDecimal.valueOf(1_000));
            case "m", "min" -> n.multiply(BigDecimal.valueOf(60_000));
            default -> n.multiply(BigDecimal.valueOf(3_600_000));
        };
    }
}
