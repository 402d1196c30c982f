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
    private int[] sortishLengths;

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

    /**
     * The SortishSampler of transformers' seq2seq examples (from fastai), for shuffled epochs: the shuffled rows are
     * cut into chunks of 50 batches, each sorted by {@code lengths} (longest first) so that a batch holds rows of
     * similar length and pads little; the batch with the longest row goes first (memory fails early, if at all)
     * and the other batches follow in random order.
     */
    public DataLoader optSortish(int[] lengths) {
        if (lengths != null && lengths.length != dataset.numRows()) {
            throw new IllegalArgumentException("sortish lengths have " + lengths.length + " entries for "
                    + dataset.numRows() + " rows");
        }
        this.sortishLengths = lengths;
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
        Random random = new Random(seed * 1_000_003L + epoch);
        int[] order = !shuffle ? IntStream.range(0, dataset.numRows()).toArray()
                : sortishLengths != null ? sortish(Dataset.permutation(dataset.numRows(), random), random)
                : Dataset.permutation(dataset.numRows(), random);
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

    private int[] sortish(int[] shuffled, Random random) {
        java.util.List<Integer> sorted = new java.util.ArrayList<>(shuffled.length);
        int chunk = batchSize * 50;
        for (int from = 0; from < shuffled.length; from += chunk) {
            java.util.List<Integer> part = new java.util.ArrayList<>();
            for (int i = from; i < Math.min(shuffled.length, from + chunk); i++) {
                part.add(shuffled[i]);
            }
            part.sort((a, b) -> Integer.compare(sortishLengths[b], sortishLengths[a])); // stable: ties keep order
            sorted.addAll(part);
        }
        java.util.List<int[]> batches = new java.util.ArrayList<>();
        for (int from = 0; from < sorted.size(); from += batchSize) {
            batches.add(sorted.subList(from, Math.min(sorted.size(), from + batchSize)).stream()
                    .mapToInt(Integer::intValue).toArray());
        }
        int longest = 0;
        for (int b = 1; b < batches.size(); b++) {
            if (sortishLengths[batches.get(b)[0]] > sortishLengths[batches.get(longest)[0]]) {
                longest = b;
            }
        }
        java.util.Collections.swap(batches, 0, longest);
        int[] rest = Dataset.permutation(batches.size() - 1, random);
        int[] order = new int[shuffled.length];
        int k = 0;
        for (int i : batches.get(0)) {
            order[k++] = i;
        }
        for (int b : rest) {
            for (int i : batches.get(b + 1)) {
                order[k++] = i;
            }
        }
        return order;
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
