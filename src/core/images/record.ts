/** What we write into every saved image, and read back for the gallery. */

/** Our generation record (stored as JSON in the image's metadata). */
export interface GenerationRecord {
  readonly prompt: string;
  readonly negativePrompt?: string;
  /** Catalog model id, e.g. `hunyuan-image-job`. */
  readonly model: string;
  /** `W:H` as requested or as returned. */
  readonly size?: string;
  readonly style?: string;
  readonly seed?: number;
  readonly requestId?: string;
  readonly jobId?: string;
  /** ISO 8601 time the image was saved. */
  readonly time: string;
  readonly revisedPrompt?: string;
}

/**
 * The implicit AI-generated label of GB 45438-2025: all seven keys present, every value a string
 * (design.md). `Label: "1"` marks AI-generated content.
 */
export interface AigcLabel {
  readonly Label: string;
  readonly ContentProducer: string;
  readonly ProduceID: string;
  readonly ReservedCode1: string;
  readonly ContentPropagator: string;
  readonly PropagateID: string;
  readonly ReservedCode2: string;
}
