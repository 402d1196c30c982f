/** DistilBERT (Sanh et al., 2019): its configuration. */
package dev.javaformers.models.distilbert;
