/**
 * Real pretrained models that ship inside jars from Maven Central, written into the Hub cache on first use
 * (see {@link dev.javaformers.hub.BundledRepository}), so that a machine without internet still has one.
 */
package dev.javaformers.bundled;
