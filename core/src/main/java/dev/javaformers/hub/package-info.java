/**
 * The Hub client, compatible with Python's {@code huggingface_hub}: downloads files from a Hub endpoint into the
 * same cache layout ({@code models--org--name/blobs|refs|snapshots}) so that Python and Java reuse each
 * other's downloads. {@link dev.javaformers.hub.Hub} is the entry point; {@link dev.javaformers.hub.HubOptions}
 * carries the transformers options ({@code revision}, {@code cache_dir}, {@code token}, ...).
 */
package dev.javaformers.hub;
