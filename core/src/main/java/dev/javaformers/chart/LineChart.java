package dev.javaformers.chart;

import org.knowm.xchart.XYChart;

/** An XChart {@link XYChart} that can save itself. */
public class LineChart extends XYChart implements SavableChart {
    public LineChart(int width, int height) {
        super(width, height);
    }
}
