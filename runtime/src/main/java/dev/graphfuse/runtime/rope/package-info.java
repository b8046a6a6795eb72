/**
 * Host-side position ids for multimodal RoPE: {@link dev.graphfuse.runtime.rope.Qwen3VlRopeIndex} computes
 * Qwen3-VL's {@code (3, batch, seq)} position ids and rope deltas from a {@link
 * dev.graphfuse.runtime.rope.RopeIndexInput}, identically to transformers' {@code get_rope_index}.
 */
package dev.graphfuse.runtime.rope;
