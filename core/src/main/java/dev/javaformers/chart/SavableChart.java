package dev.javaformers.chart;

import java.nio.file.Path;
import org.knowm.xchart.internal.chartpart.Chart;

/** A chart that saves itself: {@code chart.save(Path.of("loss.png"))} (or ".svg"). */
public interface SavableChart {

    default Path save(Path file) {
        return Charts.save((Chart<?, ?>) this, file);
    }

    /** Saves to a path given as text (Groovy, JShell). */
    default Path save(String file) {
        return save(Path.of(file));
    }
}
