package io.pglogs.forwarder.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a PostgreSQL log file into entries: a line that starts with a timestamp begins an entry, and every other line
 * (the tab-indented continuation of a multi-line statement) belongs to the entry before it. csvlog records, whose
 * quoted fields may span lines, are kept whole.
 *
 * <p>Each entry carries the byte offset of its first line, so an importer can derive keys that do not change when the
 * same file is read again.
 */
public final class LogFileSplitter {

    /** One entry of a file: its text (lines joined by '\n') and where it started. */
    public record RawEntry(long byteOffset, int lineNumber, String text) {
    }

    /**
     * Reads {@code in} to the end, handing each entry to {@code sink}. Invalid UTF-8 becomes U+FFFD instead of failing
     * the file. Lines before the first timestamped line are passed on as entries of their own.
     */
    public void split(InputStream in, Consumer<RawEntry> sink) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        LineReader reader = new LineReader(in);
        StringBuilder current = null;
        long currentOffset = 0;
        int currentLine = 0;
        boolean insideCsvQuote = false;
        byte[] raw;
        int lineNumber = 0;
        while ((raw = reader.next()) != null) {
            lineNumber++;
            String line = decoder.decode(java.nio.ByteBuffer.wrap(raw, 0, reader.length())).toString();
            boolean startsEntry = !insideCsvQuote && startsEntry(line);
            if (startsEntry || current == null) {
                if (current != null) {
                    sink.accept(new RawEntry(currentOffset, currentLine, current.toString()));
                }
                current = new StringBuilder(line);
                currentOffset = reader.offset();
                currentLine = lineNumber;
            } else {
                current.append('\n').append(line);
            }
            if (startsEntry && isCsvStart(line) || insideCsvQuote) {
                insideCsvQuote = quoteOpenAfter(line, insideCsvQuote);
            }
        }
        if (current != null) {
            sink.accept(new RawEntry(currentOffset, currentLine, current.toString()));
        }
    }

    /**
     * True when {@code line} begins a new entry (it starts with a timestamp, or is a jsonlog record); other lines
     * continue the last one.
     */
    public static boolean startsEntry(String line) {
        return PrefixTimestamp.startsAt(line, 0) || line.startsWith(JsonLogParser.START);
    }

    private static boolean isCsvStart(String line) {
        int comma = line.indexOf(',', 19);
        int colon = line.indexOf(':', 19);
        return comma >= 0 && (colon < 0 || comma < colon);
    }

    private static boolean quoteOpenAfter(String line, boolean open) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '"') {
                open = !open;
            }
        }
        return open;
    }

    /** Splits bytes on '\n' and tracks the offset of each line; strips a trailing '\r'. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private long consumed;
        private byte[] line = new byte[256];
        private int length;
        private long lineOffset;

        LineReader(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            length = 0;
            lineOffset = consumed + pos;
            boolean any = false;
            while (true) {
                if (pos == limit) {
                    consumed += limit;
                    limit = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (!any) {
                            return null;
                        }
                        break;
                    }
                }
                any = true;
                byte b = buf[pos++];
                if (b == '\n') {
                    break;
                }
                if (length == line.length) {
                    line = java.util.Arrays.copyOf(line, line.length * 2);
                }
                line[length++] = b;
            }
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            return line;
        }

        int length() {
            return length;
        }

        long offset() {
            return lineOffset;
        }
    }
}
