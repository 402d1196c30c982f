package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every reader in one fuzz target, for the short run of {@code scripts/test}: Jazzer fuzzes one target per JVM,
 * and a JVM a target would cost more start-up than the run has. The first byte picks the reader, the rest is its
 * input; coverage guides the fuzzer across all of them. {@code scripts/fuzz TARGET} fuzzes one reader alone.
 */
class ReadersFuzzTest {

    /** In the order of the first byte (modulo their number); the seeds use these indices. */
    static final List<Consumer<byte[]>> READERS = List.of(SafetensorsFuzzTest::check,
            TorchCheckpointFuzzTest::check, OnnxFuzzTest::check, ShardIndexFuzzTest::check,
            ConfigJsonFuzzTest::check, TokenizerJsonFuzzTest::check, VocabAndMergesFuzzTest::check,
            CsvFuzzTest::check, JsonLinesFuzzTest::check, JsonFuzzTest::check, HubHeadersFuzzTest::check,
            TokenizerConfigFuzzTest::check);

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        if (data.length > 0) {
            READERS.get((data[0] & 0xff) % READERS.size()).accept(Arrays.copyOfRange(data, 1, data.length));
        }
    }
}
