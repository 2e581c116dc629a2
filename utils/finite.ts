/** A real number (not NaN or ±Infinity): what every repair of a stored record asks of a number field. */
export const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
