package dev.javaformers.data;

import java.util.Arrays;

/**
 * A column of token sequences of different lengths, one per row, stored as one int array and row offsets:
 * about 4 bytes per token, which Tablesaw (having no list column) cannot offer.
 */
public final class TokenColumn {

    private final int[] values;
    private final int[] offsets; // row i is values[offsets[i] .. offsets[i+1])

    private TokenColumn(int[] values, int[] offsets) {
        this.values = values;
        this.offsets = offsets;
    }

    public int size() {
        return offsets.length - 1;
    }

    /** The tokens of row {@code row}. */
    public int[] get(int row) {
        return Arrays.copyOfRange(values, offsets[row], offsets[row + 1]);
    }

    public int length(int row) {
        return offsets[row + 1] - offsets[row];
    }

    /** Copies row {@code row} into {@code target} from {@code at}, widening to long. */
    void copyTo(int row, long[] target, int at) {
        for (int i = offsets[row]; i < offsets[row + 1]; i++) {
            target[at++] = values[i];
        }
    }

    /** The longest of {@code rows}, rounded up to a multiple of {@code multiple} when it is set: a batch's width. */
    int width(int[] rows, Integer multiple) {
        int width = 0;
        for (int r : rows) {
            width = Math.max(width, length(r));
        }
        return multiple != null && multiple > 0 ? (width + multiple - 1) / multiple * multiple : width;
    }

    /**
     * {@code rows} as one [rows x width] block, each padded with {@code pad} on the right (or on the left);
     * {@code mask}, when given, gets 1 where a token is and 0 on the padding. What the collators share.
     */
    long[] padded(int[] rows, int width, long pad, boolean left, long[] mask) {
        long[] flat = new long[rows.length * width];
        Arrays.fill(flat, pad);
        for (int i = 0; i < rows.length; i++) {
            int n = length(rows[i]);
            int at = i * width + (left ? width - n : 0);
            copyTo(rows[i], flat, at);
            if (mask != null) {
                Arrays.fill(mask, at, at + n, 1L);
            }
        }
        return flat;
    }

    /** The rows {@code rows}, in that order. */
    public TokenColumn select(int[] rows) {
        Builder b = new Builder(rows.length);
        for (int r : rows) {
            b.add(values, offsets[r], offsets[r + 1]);
        }
        return b.build();
    }

    /** Bytes held (the token ids and the row offsets). */
    public long bytes() {
        return 4L * values.length + 4L * offsets.length;
    }

    /** The row as it prints in previews: {@code [101, 2023, 2003, ...] (12)}. */
    String preview(int row) {
        int n = length(row);
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < Math.min(n, 6); i++) {
            s.append(i == 0 ? "" : ", ").append(values[offsets[row] + i]);
        }
        return s.append(n > 6 ? ", ...] (" + n + ")" : "]").toString();
    }

    /** Appends rows one at a time. */
    public static final class Builder {
        private int[] values = new int[1024];
        private int[] offsets; // offsets[r] is where row r starts; offsets[rows] is the end of the last row
        private int rows;

        public Builder(int expectedRows) {
            offsets = new int[Math.max(expectedRows, 1) + 1];
        }

        public Builder add(long[] row) {
            ensure(row.length);
            int at = offsets[rows];
            for (long v : row) {
                values[at++] = Math.toIntExact(v);
            }
            return next(at);
        }

        public Builder add(int[] row) {
            return add(row, 0, row.length);
        }

        Builder add(int[] row, int from, int to) {
            ensure(to - from);
            System.arraycopy(row, from, values, offsets[rows], to - from);
            return next(offsets[rows] + to - from);
        }

        private void ensure(int more) {
            if (rows + 2 > offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            if (offsets[rows] + more > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, offsets[rows] + more));
            }
        }

        private Builder next(int end) {
            offsets[++rows] = end;
            return this;
        }

        public TokenColumn build() {
            return new TokenColumn(Arrays.copyOf(values, offsets[rows]), Arrays.copyOf(offsets, rows + 1));
        }
    }
}
