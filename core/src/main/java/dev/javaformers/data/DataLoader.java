package dev.javaformers.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Batches of a dataset, made one at a time as they are asked for: each epoch in a fixed or shuffled order (the
 * order of epoch {@code e} depends only on the seed and {@code e}, so a resumed run sees the same batches).
 */
public final class DataLoader {

    private final Dataset dataset;
    private final int batchSize;
    private final DataCollator collator;
    private boolean shuffle;
    private long seed = 42;
    private boolean dropLast;

    public DataLoader(Dataset dataset, int batchSize, DataCollator collator) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.collator = collator;
    }

    public DataLoader optShuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    public DataLoader optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Leaves out the last batch when it is smaller than the others. */
    public DataLoader optDropLast(boolean dropLast) {
        this.dropLast = dropLast;
        return this;
    }

    public int numBatches() {
        int n = dataset.numRows();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The batches of epoch {@code epoch}, each in a sub-manager of {@code parent} that closing the batch frees. */
    public Iterable<Batch> epoch(int epoch, NDManager parent) {
        int[] order = shuffle ? Dataset.permutation(dataset.numRows(), new Random(seed * 1_000_003L + epoch))
                : IntStream.range(0, dataset.numRows()).toArray();
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < numBatches();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next * batchSize;
                int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
                next++;
                NDManager manager = parent.newSubManager();
                return new Batch(rows, collator.collate(dataset, rows, manager), manager);
            }
        };
    }

    /** One batch: its rows in the dataset and its arrays; close it to free them. */
    public record Batch(int[] rows, Map<String, NDArray> inputs, NDManager manager) implements AutoCloseable {
        public int size() {
            return rows.length;
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
