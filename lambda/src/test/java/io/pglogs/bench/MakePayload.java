package io.pglogs.bench;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.Payloads;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Prints one Lambda event holding the first N entries of a log file: usage MakePayload LOGFILE N STREAM_SALT. */
public final class MakePayload {
    private MakePayload() {
    }

    public static void main(String[] args) throws Exception {
        List<LogFileSplitter.RawEntry> entries;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            entries = Corpus.split(in);
        }
        int n = Integer.parseInt(args[1]);
        if (entries.size() < n) {
            throw new IllegalArgumentException(args[0] + " has only " + entries.size() + " entries");
        }
        List<LogEvent> events = Corpus.asEvents(entries.subList(0, n), Integer.parseInt(args[2]));
        System.out.println(Payloads.lambdaEvent("/aws/rds/instance/bench-db/postgresql", "bench-db.0", events));
    }
}
