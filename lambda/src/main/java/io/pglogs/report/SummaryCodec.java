package io.pglogs.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A {@link ReportBuilder}'s state as bytes, for the summary items of issue 26 (docs/schema.md): JSON written with
 * jackson-core's streaming API (no databind in the Lambda), short field names (a summary is stored for every payload),
 * zlib-deflated like compact items' {@code data}. The JSON carries {@link #VERSION}; a reader refuses one it does not
 * know rather than misread it.
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
        b.flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
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
     * {@code options}.
     *
     * @throws IllegalArgumentException when {@code data} is not a summary or is of a version this code cannot read
     */
    public static ReportBuilder decode(byte[] data, ReportBuilder.Options options) {
        Map<String, Object> root;
        Inflater inflater = new Inflater();
        try (JsonParser p = JSON.createParser(new BoundedInput(new InflaterInputStream(
                new ByteArrayInputStream(data), inflater), MAX_INFLATED_BYTES))) {
            p.nextToken();
            Object value = JsonValues.read(p);
            if (!(value instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("not a pglogs summary: no JSON object inside");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            root = map;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a pglogs summary: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        Object version = root.get("v");
        if (!(version instanceof Long v) || v != VERSION) {
            throw new IllegalArgumentException("summary version " + version + " cannot be read by this pglogs (it reads "
                    + "version " + VERSION + "); upgrade pglogs");
        }
        try {
            return SummaryReader.read(root, options);
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a pglogs summary of version " + VERSION + ": " + e, e);
        }
    }
}
