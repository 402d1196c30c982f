package dev.javaformers.chart;

import org.knowm.xchart.CategoryChart;

/** An XChart {@link CategoryChart} that can save itself. */
public class BarChart extends CategoryChart implements SavableChart {
    public BarChart(int width, int height) {
        super(width, height);
    }
}
