package dev.javaformers.generation;

import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Text as it is generated, as transformers' TextStreamer: the tokens so far are decoded and the new part of the
 * text is handed on once it ends a word (so that a character split over tokens is never shown half), the rest at
 * the end. Prints to the terminal by default; any {@code Consumer<String>} may take the text (a notebook cell).
 */
public class TextStreamer implements Streamer {

    private final PreTrainedTokenizer tokenizer;
    private final boolean skipPrompt;
    private final Consumer<String> out;
    private final List<Long> tokens = new ArrayList<>();
    private boolean promptSeen;
    private int printed;

    public TextStreamer(PreTrainedTokenizer tokenizer) {
        this(tokenizer, false, System.out);
    }

    public TextStreamer(PreTrainedTokenizer tokenizer, boolean skipPrompt, PrintStream out) {
        this(tokenizer, skipPrompt, text -> {
            out.print(text);
            out.flush();
        });
    }

    public TextStreamer(PreTrainedTokenizer tokenizer, boolean skipPrompt, Consumer<String> out) {
        this.tokenizer = tokenizer;
        this.skipPrompt = skipPrompt;
        this.out = out;
    }

    @Override
    public void put(long[] newTokens) {
        if (skipPrompt && !promptSeen) {
            promptSeen = true;
            return;
        }
        promptSeen = true;
        for (long t : newTokens) {
            tokens.add(t);
        }
        String text = decode();
        int end = text.endsWith("\n") ? text.length() : text.lastIndexOf(' ') + 1;
        if (end > printed && !text.endsWith("\uFFFD")) {
            out.accept(text.substring(printed, end));
            printed = end;
        }
    }

    @Override
    public void end() {
        String text = decode();
        if (text.length() > printed) {
            out.accept(text.substring(printed));
        }
        out.accept("\n");
        tokens.clear();
        printed = 0;
        promptSeen = false;
    }

    private String decode() {
        return tokenizer.decode(tokens.stream().mapToLong(Long::longValue).toArray(), true);
    }
}
