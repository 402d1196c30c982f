package dev.javaformers.generation;

/**
 * Receives tokens as generate produces them (batch size 1, greedy or sampling), as transformers' BaseStreamer:
 * first the prompt, then each new token; {@link #end()} when generation stops.
 */
public interface Streamer {

    void put(long[] tokens);

    void end();
}
