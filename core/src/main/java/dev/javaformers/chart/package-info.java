/**
 * Charts of a training run and its data with XChart: loss, metrics, learning rate, confusion matrix, label
 * distribution, token lengths and attention maps, each an XChart chart to restyle, saved as PNG or SVG.
 */
package dev.javaformers.chart;
