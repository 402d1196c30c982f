package dev.javaformers.chart;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.style.Styler;

/** An XChart {@link HeatMapChart} that can save itself. */
public class HeatMap extends HeatMapChart implements SavableChart {
    public HeatMap(int width, int height) {
        super(width, height, Styler.ChartTheme.XChart); // the two-argument constructor applies no theme at all
    }
}
