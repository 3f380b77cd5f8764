package io.pglogs.report;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses to give more than {@code limit} bytes: a few bytes of deflated data can inflate to gigabytes. */
final class BoundedInput extends FilterInputStream {
    private long left;

    BoundedInput(InputStream in, long limit) {
        super(in);
        left = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            spend(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            spend(n);
        }
        return n;
    }

    private void spend(int n) throws IOException {
        left -= n;
        if (left < 0) {
            throw new IOException("inflates to more than the limit");
        }
    }
}
