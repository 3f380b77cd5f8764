package io.pglogs.cli.docs;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A PNG's tEXt chunks (keyword, text; Latin-1), added right after its header: the docs' screenshot carries the
 * SHA-256 of the HTML it was taken of, so a test can tell it was made from the checked-in page, not drawn by hand.
 */
final class PngText {
    private static final int SIGNATURE = 8;

    private PngText() {
    }

    /** {@code png} with a tEXt chunk {@code keyword} = {@code text} after its IHDR. */
    static byte[] with(byte[] png, String keyword, String text) throws IOException {
        int afterHeader = SIGNATURE + 8 + ByteBuffer.wrap(png, SIGNATURE, 4).getInt() + 4;
        byte[] data = (keyword + '\0' + text).getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + data.length + 12);
        out.write(png, 0, afterHeader);
        DataOutputStream chunk = new DataOutputStream(out);
        chunk.writeInt(data.length);
        byte[] typeAndData = new byte[4 + data.length];
        System.arraycopy("tEXt".getBytes(StandardCharsets.US_ASCII), 0, typeAndData, 0, 4);
        System.arraycopy(data, 0, typeAndData, 4, data.length);
        chunk.write(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        chunk.writeInt((int) crc.getValue());
        out.write(png, afterHeader, png.length - afterHeader);
        return out.toByteArray();
    }

    /** The text of the first tEXt chunk named {@code keyword} whose CRC is right, or null. */
    static String read(byte[] png, String keyword) {
        int at = SIGNATURE;
        while (at + 12 <= png.length) {
            int length = ByteBuffer.wrap(png, at, 4).getInt();
            if (length < 0 || at + 12 + length > png.length) {
                return null;
            }
            String type = new String(png, at + 4, 4, StandardCharsets.US_ASCII);
            if (type.equals("tEXt")) {
                CRC32 crc = new CRC32();
                crc.update(png, at + 4, 4 + length);
                String chunk = new String(png, at + 8, length, StandardCharsets.ISO_8859_1);
                if ((int) crc.getValue() == ByteBuffer.wrap(png, at + 8 + length, 4).getInt()
                        && chunk.startsWith(keyword + '\0')) {
                    return chunk.substring(keyword.length() + 1);
                }
            }
            at += 12 + length;
        }
        return null;
    }
}
