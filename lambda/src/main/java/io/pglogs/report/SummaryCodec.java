package io.pglogs.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * A {@link ReportBuilder}'s state as bytes, for the summary items of issue 26 (docs/schema.md): JSON written with
 * jackson-core's streaming API (no databind in the Lambda), short field names (a summary is stored for every payload),
 * zlib-deflated like compact items' {@code data}. The JSON carries {@link #VERSION}; a reader refuses one it does not
 * know rather than misread it. Read back by {@link SummaryJson} and {@link SummaryMerger} straight into a builder.
 */
public final class SummaryCodec {
    /** The layout written; readers accept only the versions they know. */
    public static final int VERSION = 1;
    /** Inflated summaries larger than this are refused: one holds a payload's hour, far less than a megabyte. */
    static final int MAX_INFLATED_BYTES = 64 << 20;
    private static final JsonFactory JSON = new JsonFactory();

    private SummaryCodec() {
    }

    /** {@code b}'s state (its window is not kept: a summary is of entries, not of a window). */
    public static byte[] encode(ReportBuilder b) {
        return encode(b, false);
    }

    /**
     * As {@link #encode(ReportBuilder)}, deflated against the {@link SummaryDictionary} (zlib's preset dictionary,
     * RFC 1950 FDICT): summary items' {@code sm}. Rollups and slices keep plain zlib: older readers read them.
     */
    public static byte[] encodeWithDictionary(ReportBuilder b) {
        return encode(b, true);
    }

    private static byte[] encode(ReportBuilder b, boolean dictionary) {
        b.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        if (dictionary) {
            deflater.setDictionary(SummaryDictionary.BYTES);
        }
        try (JsonGenerator g = JSON.createGenerator(new DeflaterOutputStream(out, deflater, 4096))) {
            SummaryWriter.write(g, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return out.toByteArray();
    }

    /**
     * A builder holding what {@code data} holds, with no window (from and until null), its tables sized by
     * {@code options}. To add a summary to a builder, {@link #decodeInto} is faster than merging this one.
     *
     * @throws IllegalArgumentException when {@code data} is not a summary or is of a version this code cannot read
     */
    public static ReportBuilder decode(byte[] data, ReportBuilder.Options options) {
        ReportBuilder b = new ReportBuilder(options, null, null);
        decodeInto(data, b);
        return b;
    }

    /**
     * Adds what {@code data} holds to {@code into}, as {@code into.merge(decode(data, options))} would (issue 26 part
     * 3: without a builder per summary nor a tree of its JSON; groups join {@code into}'s tables in the summary's order,
     * by key, so when a table must fold, ties may fold otherwise than through {@code merge}).
     *
     * @throws IllegalArgumentException when {@code data} is not a summary or is of a version this code cannot read:
     *                                  a version refused leaves {@code into} as it was, a damaged summary may leave it
     *                                  part-merged (to be dropped)
     */
    public static void decodeInto(byte[] data, ReportBuilder into) {
        byte[] json = inflate(data);
        try {
            SummaryMerger.merge(new SummaryJson(json, 0, json.length), into);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a pglogs summary: " + e.getMessage(), e);
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a pglogs summary of version " + VERSION + ": " + e, e);
        }
    }

    /**
     * Whether {@code data}'s zlib header (RFC 1950) is one this code inflates: no preset dictionary, or the
     * {@link SummaryDictionary}. Read from the first 6 bytes without inflating, so a reader sets aside a summary of a
     * later dictionary before it plans (review S1, M1) instead of finding out mid-merge.
     */
    public static boolean knownDeflate(byte[] data) {
        // CMF: method 8 (deflate); CMF * 256 + FLG a multiple of 31; FLG bit 5: a DICTID follows.
        if (data == null || data.length < 2 || (data[0] & 0x0f) != 8
                || (((data[0] & 0xff) << 8) | (data[1] & 0xff)) % 31 != 0) {
            return false;
        }
        if ((data[1] & 0x20) == 0) {
            return true;
        }
        return data.length >= 6 && (((data[2] & 0xff) << 24) | ((data[3] & 0xff) << 16) | ((data[4] & 0xff) << 8)
                | (data[5] & 0xff)) == SummaryDictionary.ID;
    }

    /**
     * The JSON inside {@code data}, whole (the parser then reads an array, not a chain of streams). Deflated with or
     * without the {@link SummaryDictionary}: the zlib header says which (a summary item of an older forwarder has
     * none), and a dictionary this code does not know is refused.
     */
    static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            byte[] out = new byte[Math.max(1024, Math.min(MAX_INFLATED_BYTES, data.length * 8))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (n > MAX_INFLATED_BYTES) {
                        throw new IllegalArgumentException("not a pglogs summary: inflates to more than the limit");
                    }
                    // One byte past the limit: a summary of exactly the limit still finishes.
                    out = Arrays.copyOf(out, (int) Math.min(MAX_INFLATED_BYTES + 1L, 2L * n));
                }
                int got = inflater.inflate(out, n, out.length - n);
                n += got;
                if (got == 0 && inflater.needsDictionary()) {
                    if (inflater.getAdler() != SummaryDictionary.ID) {
                        throw new IllegalArgumentException("not a pglogs summary: deflated with an unknown dictionary "
                                + Integer.toHexString(inflater.getAdler()));
                    }
                    inflater.setDictionary(SummaryDictionary.BYTES);
                    continue;
                }
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("not a pglogs summary: its deflated data ends early");
                }
            }
            if (n > MAX_INFLATED_BYTES) {
                throw new IllegalArgumentException("not a pglogs summary: inflates to more than the limit");
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a pglogs summary: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
