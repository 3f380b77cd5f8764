package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.testing.Corpus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Entry times from a real PostgreSQL server logging in Europe/Berlin and America/New_York while its clock (libfaketime,
 * scripts/pg-corpus) crosses a daylight-saving change, checked against the UTC truth the same server wrote in the same
 * entries: "clock epoch=..." is its clock_timestamp() as Unix time, read just before the entry was stamped.
 */
class TimeZoneCorpusTest {
    private static final Pattern CLOCK = Pattern.compile("clock epoch=(\\d+)\\.(\\d{6})");

    @ParameterizedTest(name = "{0}.{4} in {1}: {2} then {3}")
    @CsvSource({
            "tz-berlin-autumn, Europe/Berlin, CEST, CET, log", "tz-berlin-autumn, Europe/Berlin, CEST, CET, csv",
            "tz-berlin-autumn, Europe/Berlin, CEST, CET, json",
            "tz-newyork-spring, America/New_York, EST, EDT, log", "tz-newyork-spring, America/New_York, EST, EDT, csv",
            "tz-newyork-spring, America/New_York, EST, EDT, json",
            "tz-newyork-autumn, America/New_York, EDT, EST, log", "tz-newyork-autumn, America/New_York, EDT, EST, csv",
            "tz-newyork-autumn, America/New_York, EDT, EST, json"})
    void everyEntryCarriesItsTrueUtcTimeAcrossTheChange(String name, String zone, String before, String after,
                                                        String format) {
        // These abbreviations name one offset each, so no configured zone is needed; with one, the same comes out.
        for (LogTimeZone zones : List.of(LogTimeZone.of(zone), LogTimeZone.NONE)) {
            PostgresLogParser parser = new PostgresLogParser(zones);
            List<String> seen = new ArrayList<>();
            Instant last = Instant.MIN;
            int clocks = 0;
            for (LogFileSplitter.RawEntry e : Corpus.fresh(name + "." + format)) {
                LogEntry entry = parser.parse(e.text());
                assertNotNull(entry.timestamp(), e.text());
                assertFalse(entry.isUnknown(), e.text());
                Matcher m = CLOCK.matcher(entry.message());
                if (!entry.severity().equals("LOG") || !m.lookingAt()) {
                    continue;
                }
                clocks++;
                long truthMicros = Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2));
                long parsedMicros = entry.timestamp().getEpochSecond() * 1_000_000
                        + entry.timestamp().getNano() / 1_000;
                // Stamped just after the clock was read; %t drops the fraction, %m (csvlog, jsonlog) keeps ms.
                long low = format.equals("log") ? truthMicros / 1_000_000 * 1_000_000 : truthMicros - 1_000;
                assertTrue(parsedMicros >= low && parsedMicros < truthMicros + 1_000_000,
                        () -> "truth " + m.group() + ", parsed " + entry.timestamp() + " from " + e.text());
                assertFalse(entry.timestamp().isBefore(last), "UTC time never runs backwards: " + e.text());
                last = entry.timestamp();
                String abbreviation = e.text().replaceFirst("^\\{\"timestamp\":\"", "").substring(0, 40)
                        .replaceFirst("^[0-9-]+ [0-9:.]+ ([A-Za-z]+).*", "$1");
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(abbreviation)) {
                    seen.add(abbreviation);
                }
            }
            assertTrue(clocks >= 20, "only " + clocks + " clock entries in " + name);
            assertEquals(List.of(before, after), seen, "the run must cross the change once");
        }
    }

    /** What the server prints for every zone it knows, at four instants, against those instants. */
    @Test
    void everyZoneTheServerKnowsResolvesToTheInstantItPrinted() {
        int checked = 0;
        Set<String> unknownToJava = new TreeSet<>();
        Set<String> abbreviations = new TreeSet<>();
        for (String line : Corpus.freshLines("tz-berlin-autumn.zones")) {
            String[] f = line.split("\t");
            Instant truth = Instant.ofEpochSecond(Long.parseLong(f[1]));
            String text = f[2] + ":";
            String abbreviation = f[2].substring(20);
            LogTimeZone zones;
            try {
                zones = LogTimeZone.of(f[0]);
            } catch (IllegalArgumentException e) {
                unknownToJava.add(f[0]);
                continue;
            }
            PrefixTimestamp configured = PrefixTimestamp.parse(text, 0, ':', zones);
            assertTrue(configured.zoneKnown, line);
            assertEquals(truth, configured.instant, line);
            PrefixTimestamp bare = PrefixTimestamp.parse(text, 0, ':', LogTimeZone.NONE);
            if (Character.isLetter(abbreviation.charAt(0))) {
                abbreviations.add(abbreviation);
                assertTrue(LogTimeZone.knows(abbreviation), "abbreviation missing from the table: " + line);
                assertEquals(LogTimeZone.isUnambiguous(abbreviation), bare.zoneKnown, line);
            }
            if (bare.zoneKnown) {
                assertEquals(truth, bare.instant, line);
            }
            checked++;
        }
        assertTrue(checked > 2_000, "checked only " + checked);
        assertTrue(unknownToJava.size() < 10, "zones Java does not know: " + unknownToJava);
        assertTrue(abbreviations.containsAll(List.of("CET", "CEST", "EST", "EDT", "CST", "IST", "PST")),
                abbreviations.toString());
    }

    @Test
    void ambiguousAbbreviationsNeedTheConfiguredZone() {
        String cst = "2026-01-15 06:00:00 CST:[local]:a@b:[1]:LOG:  x";
        assertNull(new PostgresLogParser().parse(cst).timestamp());
        assertEquals("CST", new PostgresLogParser().unresolvedZone(cst));
        assertEquals(Instant.parse("2026-01-15T12:00:00Z"),
                new PostgresLogParser(LogTimeZone.of("America/Chicago")).parse(cst).timestamp());
        assertEquals(Instant.parse("2026-01-14T22:00:00Z"),
                new PostgresLogParser(LogTimeZone.of("Asia/Shanghai")).parse(cst).timestamp());
        // A zone whose offsets CST does not name cannot decide it either.
        assertNull(new PostgresLogParser(LogTimeZone.of("Europe/Berlin")).parse(cst).timestamp());
        // Ireland: IST is summer time there, one hour ahead, and the repeated hour is told apart by the abbreviation.
        LogTimeZone dublin = LogTimeZone.of("Europe/Dublin");
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), new PostgresLogParser(dublin)
                .parse("2026-10-25 01:30:00 IST:[local]:a@b:[1]:LOG:  x").timestamp());
        assertEquals(Instant.parse("2026-10-25T01:30:00Z"), new PostgresLogParser(dublin)
                .parse("2026-10-25 01:30:00 GMT:[local]:a@b:[1]:LOG:  x").timestamp());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogTimeZone.of("Mars/Base"));
        assertTrue(e.getMessage().startsWith("'Mars/Base' is not a time zone name"), e.getMessage());
    }
}
