package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What to keep. Severities, user, database, process and what the entry is ({@link EntryMatch}) are sent to DynamoDB as
 * a filter expression; the regular expression is applied here, to the message.
 *
 * @param severities null for all
 * @param pid        null for any process (context reads, {@link ContextRows}, narrow to the match's)
 */
public record Filters(Set<String> severities, String user, String database, Pattern grep, EntryMatch match,
                      Long pid) {
    public static final Filters NONE = new Filters(null, null, null, null);

    public Filters(Set<String> severities, String user, String database, Pattern grep) {
        this(severities, user, database, grep, EntryMatch.ANY, null);
    }

    /** Whether every entry passes: a report may then count from summaries, which hold no entry to filter. */
    public boolean none() {
        return severities == null && user == null && database == null && grep == null && pid == null
                && EntryMatch.ANY.equals(match);
    }

    /** These filters, and entries matching {@code match} only. */
    public Filters with(EntryMatch match) {
        return new Filters(severities, user, database, grep, match, pid);
    }

    /** These filters, and entries of the process {@code pid} only. */
    public Filters withPid(Long pid) {
        return new Filters(severities, user, database, grep, match, pid);
    }

    /** Context rows ({@link ContextRows}) were chosen by the match they surround, not by the filters. */
    public boolean matchesLocally(LogRow row) {
        return grep == null || row.text(LogRow.CONTEXT) != null && !ContextRows.MATCH.equals(
                row.text(LogRow.CONTEXT)) || grep.matcher(row.message()).find();
    }

    /** DynamoDB's part (severities, user, database, what the entry is) applied here: to entries unpacked from compact items. */
    public boolean matchesRemotely(Map<String, AttributeValue> entry) {
        return (severities == null || severities.contains(text(entry, ItemContract.SEVERITY)))
                && (user == null || user.equals(text(entry, ItemContract.USER)))
                && (database == null || database.equals(text(entry, ItemContract.DATABASE)))
                && (pid == null || entry.get(ItemContract.PID) != null
                        && pid.toString().equals(entry.get(ItemContract.PID).n()))
                && match.matches(entry);
    }

    private static String text(Map<String, AttributeValue> entry, String name) {
        AttributeValue v = entry.get(name);
        return v == null ? null : v.s();
    }

    /** Every filter, DynamoDB's part too, applied here: for entries that did not come through a Query. */
    public boolean matches(LogRow row) {
        return (severities == null || severities.contains(row.severity()))
                && (user == null || user.equals(row.text(ItemContract.USER)))
                && (database == null || database.equals(row.text(ItemContract.DATABASE)))
                && (pid == null || pid.toString().equals(row.text(ItemContract.PID)))
                && match.matches(row)
                && matchesLocally(row);
    }
}
