package dev.javaformers.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextStreamerTest {

    @TempDir
    Path cache;

    /** Pieces come out word by word while tokens arrive, and add up to the decoded text. */
    @Test
    void piecesAddUpToTheDecodedTextWordByWord() {
        try (PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true))) {
            long[] ids = tokenizer.encode(List.of("Once upon a time there lived an extraordinarily tiny dragon"),
                    Map.of("add_special_tokens", false)).inputIds()[0];
            List<String> pieces = new ArrayList<>();
            TextStreamer streamer = new TextStreamer(tokenizer, true, pieces::add);
            streamer.put(new long[] {ids[0], ids[1]}); // the prompt, skipped
            for (int i = 2; i < ids.length; i++) {
                streamer.put(new long[] {ids[i]});
            }
            streamer.end();
            long[] generated = java.util.Arrays.copyOfRange(ids, 2, ids.length);
            assertEquals(tokenizer.decode(generated, true) + "\n", String.join("", pieces));
            assertTrue(pieces.size() >= 5, "several pieces, not one at the end: " + pieces);
            for (String p : pieces.subList(0, pieces.size() - 2)) {
                assertTrue(p.endsWith(" "), "a piece ends a word: '" + p + "'");
            }
        }
    }
}
