/** T5 (Raffel et al., 2020) and flan-T5: an encoder-decoder with relative position buckets and RMS layer norms. */
package dev.javaformers.models.t5;
