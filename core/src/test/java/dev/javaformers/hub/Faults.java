package dev.javaformers.hub;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Function;

/** HTTP filters that damage CDN downloads the way networks do, for the fault tests. */
final class Faults {

    private Faults() {}

    /** Applies {@code wrap} to the body of CDN GETs for which {@code when} says yes. */
    static Filter onCdnGet(java.util.function.BooleanSupplier when, Function<OutputStream, OutputStream> wrap) {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange ex, Chain chain) throws IOException {
                if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().startsWith("/cdn/")
                        && when.getAsBoolean()) {
                    ex.setStreams(null, wrap.apply(ex.getResponseBody()));
                }
                chain.doFilter(ex);
            }

            @Override
            public String description() {
                return "test fault";
            }
        };
    }

    /** Sends {@code limit} bytes, then drops the connection. */
    static OutputStream cutAfter(OutputStream out, long limit) {
        return new ByteStream(out) {
            @Override
            void onByte(long index) throws IOException {
                if (index == limit) {
                    out.flush();
                    throw new IOException("connection cut by the test after " + limit + " bytes");
                }
            }
        };
    }

    /** Flips the bits of byte {@code at}, as a bad link or disk would. */
    static OutputStream corruptAt(OutputStream out, long at) {
        return new ByteStream(out) {
            @Override
            int map(long index, int b) {
                return index == at ? ~b & 0xff : b;
            }
        };
    }

    /** Sleeps {@code millis} after every {@code chunk} bytes. */
    static OutputStream slow(OutputStream out, int chunk, long millis) {
        return new ByteStream(out) {
            @Override
            void onByte(long index) throws IOException {
                if (index > 0 && index % chunk == 0) {
                    out.flush();
                    sleep(millis);
                }
            }
        };
    }

    /** Sends {@code limit} bytes, then hangs until {@code release} is counted down. */
    static OutputStream stallAfter(OutputStream out, long limit, java.util.concurrent.CountDownLatch release) {
        return new ByteStream(out) {
            @Override
            void onByte(long index) throws IOException {
                if (index == limit) {
                    out.flush();
                    try {
                        release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("stalled connection closed by the test");
                }
            }
        };
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stream that looks at each byte on its way out. */
    private abstract static class ByteStream extends FilterOutputStream {
        private long count;

        ByteStream(OutputStream out) {
            super(out);
        }

        void onByte(long index) throws IOException {}

        int map(long index, int b) {
            return b;
        }

        @Override
        public void write(int b) throws IOException {
            onByte(count);
            out.write(map(count, b));
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                write(b[off + i] & 0xff);
            }
        }
    }
}
