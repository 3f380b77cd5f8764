package io.pglogs.report;

import java.time.Instant;
import java.util.List;

/**
 * The window as a whole.
 *
 * @param from       the window asked for: its start
 * @param until      and its end
 * @param first      the oldest entry read; null when none
 * @param last       the newest entry read; null when none
 * @param entries    entries read
 * @param severities entries per severity, most first
 * @param kinds      entries per kind (docs/schema.md "Kinds"), most first
 * @param instances  entries per instance, by name
 * @param hourly     entries per hour
 * @param reclassified entries stored without a kind (written before kinds were derived) that the report classified
 *                   itself, as the forwarder now does ({@link LegacyEntries})
 * @param sources    what was read: summaries, entries and why; null until the reader says ({@link #withSources})
 */
public record Overview(Instant from, Instant until, Instant first, Instant last, long entries,
                       List<NameCount> severities, List<NameCount> kinds, List<NameCount> instances, Hourly hourly,
                       long reclassified, Sources sources) {
    /** As {@link ReportBuilder} makes it: it counts entries and does not know where they came from. */
    public Overview(Instant from, Instant until, Instant first, Instant last, long entries, List<NameCount> severities,
                    List<NameCount> kinds, List<NameCount> instances, Hourly hourly, long reclassified) {
        this(from, until, first, last, entries, severities, kinds, instances, hourly, reclassified, null);
    }

    public Overview withSources(Sources sources) {
        return new Overview(from, until, first, last, entries, severities, kinds, instances, hourly, reclassified,
                sources);
    }
}
