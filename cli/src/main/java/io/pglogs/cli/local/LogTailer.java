package io.pglogs.cli.local;

import io.pglogs.forwarder.parse.LogFileSplitter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a PostgreSQL log file as the server appends to it and hands out whole entries: an entry is complete once
 * the next one starts, or once the file has been quiet for a moment (a statement's continuation lines are written
 * together with its first line).
 */
final class LogTailer {
    private static final long QUIET_NANOS = 500_000_000L;

    private final Path file;
    private long offset;
    private final StringBuilder partialLine = new StringBuilder();
    private final List<String> lines = new ArrayList<>();
    private long pendingOffset = -1;
    private long lastGrowth = System.nanoTime();
    private long lineStart;

    LogTailer(Path file) {
        this.file = file;
    }

    /** Entries completed since the last call. */
    List<LogFileSplitter.RawEntry> poll() throws IOException {
        List<LogFileSplitter.RawEntry> done = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return done;
        }
        long size = Files.size(file);
        if (size > offset) {
            byte[] bytes;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                f.seek(offset);
                bytes = new byte[(int) Math.min(size - offset, 8 << 20)];
                f.readFully(bytes);
            }
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    partialLine.append(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    line(partialLine.toString(), done);
                    partialLine.setLength(0);
                    start = i + 1;
                    lineStart = offset + i + 1;
                }
            }
            partialLine.append(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8));
            offset += bytes.length;
            lastGrowth = System.nanoTime();
        } else if (!lines.isEmpty() && System.nanoTime() - lastGrowth > QUIET_NANOS) {
            done.add(new LogFileSplitter.RawEntry(pendingOffset, 0, String.join("\n", lines)));
            lines.clear();
        }
        return done;
    }

    private void line(String line, List<LogFileSplitter.RawEntry> done) {
        long at = lineStart;
        if (LogFileSplitter.startsEntry(line) && !lines.isEmpty()) {
            done.add(new LogFileSplitter.RawEntry(pendingOffset, 0, String.join("\n", lines)));
            lines.clear();
        }
        if (lines.isEmpty()) {
            pendingOffset = at;
        }
        lines.add(line);
    }
}
