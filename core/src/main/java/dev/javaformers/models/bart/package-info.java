/** BART (Lewis et al., 2019): a post-norm encoder-decoder with learned positions, for summarization and more. */
package dev.javaformers.models.bart;
