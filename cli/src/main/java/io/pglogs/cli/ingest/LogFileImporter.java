package io.pglogs.cli.ingest;

import io.pglogs.cli.error.FailureException;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.PostgresLogParser;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Imports a PostgreSQL log file as downloaded from RDS (or written by any server with the RDS prefix), plain or
 * gzipped. Each entry's id is {@code <file name>@<byte offset>} (the name without .gz, the offset in the plain text),
 * so importing the same file again, or its gzipped copy, overwrites instead of duplicating.
 */
public final class LogFileImporter {
    /** Entries without a timestamp tolerated at the start of a file before deciding it is not a PostgreSQL log. */
    static final int LEADING_LIMIT = 1_000;

    private final PostgresLogParser parser;
    private final EntrySink sink;
    private final Progress progress;

    /** @param zones the server's log_timezone, as the forwarder is given it */
    public LogFileImporter(EntrySink sink, Progress progress, LogTimeZone zones) {
        this.parser = new PostgresLogParser(zones);
        this.sink = sink;
        this.progress = progress;
    }

    /** @return entries taken from this file */
    public long importFile(Path file, String instance) throws InterruptedException {
        String name = file.getFileName().toString().replaceFirst("\\.gz$", "");
        String group = LogSource.instanceLogGroup(instance);
        long size = sizeOf(file);
        long before = sink.entries();
        Counting counting;
        List<LogFileSplitter.RawEntry> leading = new ArrayList<>();
        Instant[] last = new Instant[1];
        try (InputStream raw = Files.newInputStream(file)) {
            counting = new Counting(new BufferedInputStream(raw, 1 << 16));
            InputStream in = gzipped(file, counting);
            try {
                new LogFileSplitter().split(in, entry -> {
                    Instant ts = parser.parse(entry.text()).timestamp();
                    if (ts == null && parser.unresolvedZone(entry.text()) != null) {
                        throw new UnresolvedZone(parser.unresolvedZone(entry.text()), entry.lineNumber());
                    }
                    if (last[0] == null && ts == null) {
                        // Nothing proves this is a PostgreSQL log yet: hold back, write nothing.
                        leading.add(entry);
                        if (leading.size() > LEADING_LIMIT) {
                            throw new NotALog(LEADING_LIMIT);
                        }
                        return;
                    }
                    if (ts != null) {
                        last[0] = ts;
                    }
                    for (LogFileSplitter.RawEntry held : leading) {
                        add(group, name, held, last[0]);
                    }
                    leading.clear();
                    add(group, name, entry, last[0]);
                    progress.update(name, sink.entries(), size > 0 ? (double) counting.count / size : -1);
                });
            } catch (UnresolvedZone e) {
                sink.flush();
                throw new FailureException(file + " line " + e.line + ": the time zone '" + e.zone + "' names more "
                        + "than one UTC offset, or none the --log-timezone given has there: pass --log-timezone with "
                        + "the server's log_timezone (e.g. America/Chicago); the " + (sink.entries() - before)
                        + " entries before it were written");
            } catch (NotALog e) {
                throw new FailureException(file + " is not a PostgreSQL log: no entry with a timestamp in its first "
                        + e.limit + " entries; nothing was written from it");
            } catch (EOFException e) {
                sink.flush();
                throw new FailureException(file + ": the gzip data ends early (truncated) after " + counting.count
                        + " bytes; its first " + (sink.entries() - before) + " entries were written, the entry the "
                        + "file breaks off in was not");
            } catch (ZipException e) {
                sink.flush();
                throw new FailureException(file + ": corrupt gzip data (" + e.getMessage() + ") after " + counting.count
                        + " bytes; its first " + (sink.entries() - before) + " entries were written");
            }
        } catch (UncheckedIOException e) {
            throw new FailureException("cannot read " + file + ": " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new FailureException("cannot read " + file + ": " + e.getMessage());
        }
        if (last[0] == null) {
            throw new FailureException(file + " is not a PostgreSQL log: no entry with a timestamp in it; nothing was "
                    + "written from it");
        }
        sink.flush();
        return sink.entries() - before;
    }

    private void add(String group, String name, LogFileSplitter.RawEntry entry, Instant ts) {
        try {
            sink.add(group, name, new LogEvent(name + "@" + entry.byteOffset(), ts.toEpochMilli(), entry.text()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static InputStream gzipped(Path file, Counting counting) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return counting;
        }
        counting.mark(2);
        int b1 = counting.read();
        int b2 = counting.read();
        counting.reset();
        if (b1 != 0x1f || b2 != 0x8b) {
            throw new FailureException(file + " is named .gz but is not gzip data; nothing was written from it");
        }
        return new GZIPInputStream(counting, 1 << 16);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new FailureException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private static final class UnresolvedZone extends RuntimeException {
        final String zone;
        final int line;

        UnresolvedZone(String zone, int line) {
            super(null, null, false, false);
            this.zone = zone;
            this.line = line;
        }
    }

    private static final class NotALog extends RuntimeException {
        final int limit;

        NotALog(int limit) {
            super(null, null, false, false);
            this.limit = limit;
        }
    }

    /** Counts the bytes read from the file itself (compressed, for .gz), for progress. */
    private static final class Counting extends FilterInputStream {
        long count;
        private long marked;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            marked = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = marked;
        }
    }
}
