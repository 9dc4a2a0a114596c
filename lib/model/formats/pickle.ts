// Over 300 lines: one opcode interpreter: its switch over the opcodes shares the machine's state.
/**
 * A SAFE reader of Python pickles (protocols 0–5, the opcodes `torch.save` and plain containers use).
 *
 * Unpickling normally runs code: a pickle names any Python callable (`os.system`, …) and calls it. Here a
 * pickle may only name the globals the caller allows, each mapped to a JS function; any other global is
 * refused with {@link UnsafePickleError} before anything is built. Python values become JS values: dict →
 * Map, list/tuple → array, str → string, int → number (bigint beyond 2^53), float → number, bytes → Uint8Array,
 * None → null.
 *
 * Everything is bounded by the pickle's own size before it is allocated: a length must fit in the bytes left,
 * integers are at most {@link MAX_INTEGER_BYTES} long, and no step recurses or spreads arguments, so a
 * damaged or hostile pickle is refused at once with a {@link ModelFileError} naming the byte at fault.
 *
 * @module
 */
import { fileName, ModelFileError } from "../errors.ts";

/** The pickle names a global the caller did not allow (it may be malicious, or simply not a checkpoint). */
export class UnsafePickleError extends ModelFileError {
  /** An error refusing `global` ("module.name") in `file`. */
  constructor(file: string, problem: string, readonly global: string) {
    super(file, problem);
    this.name = "UnsafePickleError";
  }
}

/**
 * The longest integer (in bytes) a pickle may hold: checkpoints hold sizes, offsets and a 10-byte magic
 * number. Longer ones would only cost time (building a big integer is quadratic).
 */
export const MAX_INTEGER_BYTES = 256;
/** The longest decimal text integer, the same bound in digits. */
const MAX_INTEGER_DIGITS = Math.ceil(MAX_INTEGER_BYTES * 8 * Math.log10(2)) + 1;

/** A global the pickle may name: a function it may call (REDUCE / NEWOBJ), or a mere marker (e.g. a class). */
export interface AllowedGlobal {
  call?: (...args: unknown[]) => unknown;
}

/** A global as it sits on the pickle stack. */
export class PickleGlobal {
  constructor(readonly name: string, readonly allowed: AllowedGlobal) {}
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /** Globals by "module.name" (e.g. "collections.OrderedDict"). Anything else is refused. */
  globals: Record<string, AllowedGlobal>;
  /** Resolves persistent ids (PyTorch uses them for tensor storages). Without it, a persistent id is an error. */
  persistentLoad?: (pid: unknown) => unknown;
  /** Names the pickle in errors. */
  source?: string;
}

const MARK = Symbol("mark");
/** Strings must be UTF-8 (as Python writes them): never replaced with U+FFFD. */
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** More arguments than any allowed global takes: a sign of a damaged or hostile pickle. */
const MAX_CALL_ARGUMENTS = 16;

/** A number when it is exact as one, else a bigint. */
function narrow(value: bigint): number | bigint {
  return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value;
}

/**
 * Reads one pickle from `bytes`, building only what `options.globals` allows.
 *
 * @example
 * ```ts
 * // pickle.dumps({"a": [1, 2]}, protocol=2)
 * const bytes = Uint8Array.from([0x80, 2, 0x7d, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x71, 1, 0x5d, 0x71, 2,
 *   0x28, 0x4b, 1, 0x4b, 2, 0x65, 0x73, 0x2e]);
 * unpickle(bytes, { globals: {} }); // Map { "a" => [1, 2] }
 * ```
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): unknown {
  return unpickleAt(bytes, 0, options).value;
}

class Unpickler {
  #bytes: Uint8Array;
  #view: DataView;
  #position = 0;
  #stack: unknown[] = [];
  #marks: number[] = [];
  #memo = new Map<number, unknown>();
  #options: UnpickleOptions;
  #source: string;

  constructor(bytes: Uint8Array, options: UnpickleOptions) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#options = options;
    this.#source = options.source ?? "pickle";
  }

  /** Position after the STOP opcode (a legacy torch file holds several pickles back to back). */
  get end(): number {
    return this.#position;
  }

  load(): unknown {
    while (true) {
      const at = this.#position;
      const opcode = this.#u8();
      switch (opcode) {
        case 0x80: // PROTO
          this.#u8();
          break;
        case 0x95: // FRAME: a length prefix only
          this.#take(8);
          break;
        case 0x2e: // STOP
          return this.#pop();
        case 0x28: // MARK
          this.#marks.push(this.#stack.length);
          this.#stack.push(MARK);
          break;
        case 0x30: // POP
          this.#pop();
          break;
        case 0x31: // POP_MARK
          this.#popMark();
          break;
        case 0x32: // DUP
          this.#stack.push(this.#top());
          break;

        // Scalars
        case 0x4e: // NONE
          this.#stack.push(null);
          break;
        case 0x88: // NEWTRUE
          this.#stack.push(true);
          break;
        case 0x89: // NEWFALSE
          this.#stack.push(false);
          break;
        case 0x4b: // BININT1
          this.#stack.push(this.#u8());
          break;
        case 0x4d: // BININT2
          this.#stack.push(this.#view.getUint16(this.#advance(2), true));
          break;
        case 0x4a: // BININT
          this.#stack.push(this.#view.getInt32(this.#advance(4), true));
          break;
        case 0x8a: // LONG1
          this.#stack.push(this.#long(this.#u8(), at));
          break;
        case 0x8b: // LONG4
          this.#stack.push(this.#long(this.#view.getUint32(this.#advance(4), true), at));
          break;
        case 0x49: { // INT (text; "01"/"00" are True/False)
          const text = this.#line();
          this.#stack.push(text === "01" ? true : text === "00" ? false : this.#integer(text, at));
          break;
        }
        case 0x4c: // LONG (text, trailing L)
          this.#stack.push(this.#integer(this.#line().replace(/L$/, ""), at));
          break;
        case 0x47: // BINFLOAT (big-endian)
          this.#stack.push(this.#view.getFloat64(this.#advance(8), false));
          break;
        case 0x46: // FLOAT (text)
          this.#stack.push(Number(this.#line()));
          break;

        // Strings and bytes
        case 0x58: // BINUNICODE
          this.#stack.push(this.#utf8(this.#view.getUint32(this.#advance(4), true)));
          break;
        case 0x8c: // SHORT_BINUNICODE
          this.#stack.push(this.#utf8(this.#u8()));
          break;
        case 0x8d: // BINUNICODE8
          this.#stack.push(this.#utf8(this.#u64()));
          break;
        case 0x54: // BINSTRING (Python 2 str)
          this.#stack.push(this.#latin1(this.#view.getInt32(this.#advance(4), true)));
          break;
        case 0x55: // SHORT_BINSTRING
          this.#stack.push(this.#latin1(this.#u8()));
          break;
        case 0x42: // BINBYTES
          this.#stack.push(this.#take(this.#view.getUint32(this.#advance(4), true)).slice());
          break;
        case 0x43: // SHORT_BINBYTES
          this.#stack.push(this.#take(this.#u8()).slice());
          break;
        case 0x8e: // BINBYTES8
          this.#stack.push(this.#take(this.#u64()).slice());
          break;

        // Containers
        case 0x7d: // EMPTY_DICT
          this.#stack.push(new Map());
          break;
        case 0x5d: // EMPTY_LIST
          this.#stack.push([]);
          break;
        case 0x29: // EMPTY_TUPLE
          this.#stack.push([]);
          break;
        case 0x85: // TUPLE1
          this.#stack.push(this.#popItems(1));
          break;
        case 0x86: // TUPLE2
          this.#stack.push(this.#popItems(2));
          break;
        case 0x87: // TUPLE3
          this.#stack.push(this.#popItems(3));
          break;
        case 0x74: // TUPLE
        case 0x6c: // LIST
          this.#stack.push(this.#popMark());
          break;
        case 0x64: { // DICT
          const items = this.#popMark();
          const dict = new Map();
          for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
          this.#stack.push(dict);
          break;
        }
        case 0x61: { // APPEND
          const value = this.#pop();
          this.#list(this.#top(), at).push(value);
          break;
        }
        case 0x65: { // APPENDS
          const values = this.#popMark();
          const list = this.#list(this.#top(), at);
          // One by one: spreading a long list as arguments overflows the stack.
          for (const value of values) list.push(value);
          break;
        }
        case 0x73: { // SETITEM
          const value = this.#pop(), key = this.#pop();
          this.#dict(this.#top(), at).set(key, value);
          break;
        }
        case 0x75: { // SETITEMS
          const items = this.#popMark();
          const dict = this.#dict(this.#top(), at);
          for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
          break;
        }

        // Memo
        case 0x71: // BINPUT
          this.#memo.set(this.#u8(), this.#top());
          break;
        case 0x72: // LONG_BINPUT
          this.#memo.set(this.#view.getUint32(this.#advance(4), true), this.#top());
          break;
        case 0x70: // PUT
          this.#memo.set(Number(this.#line()), this.#top());
          break;
        case 0x94: // MEMOIZE
          this.#memo.set(this.#memo.size, this.#top());
          break;
        case 0x68: // BINGET
          this.#stack.push(this.#memoGet(this.#u8(), at));
          break;
        case 0x6a: // LONG_BINGET
          this.#stack.push(this.#memoGet(this.#view.getUint32(this.#advance(4), true), at));
          break;
        case 0x67: // GET
          this.#stack.push(this.#memoGet(Number(this.#line()), at));
          break;

        // Globals, calls, persistent ids: where the allow-list applies
        case 0x63: { // GLOBAL "module\nname\n"
          const module = this.#line();
          this.#stack.push(this.#global(module, this.#line()));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = this.#pop(), module = this.#pop();
          if (typeof module !== "string" || typeof name !== "string") {
            throw this.#error(at, "STACK_GLOBAL needs two strings");
          }
          this.#stack.push(this.#global(module, name));
          break;
        }
        case 0x52: // REDUCE
        case 0x81: { // NEWOBJ
          const args = this.#pop(), callable = this.#pop();
          this.#stack.push(this.#call(callable, args, at));
          break;
        }
        case 0x62: // BUILD: set state on an object. Only allowed globals built the object; their extra
          // attributes (e.g. an OrderedDict's `_metadata`) carry nothing a tensor reader needs.
          this.#pop();
          break;
        case 0x51: // BINPERSID
          this.#stack.push(this.#persistent(this.#pop(), at));
          break;
        case 0x50: // PERSID
          this.#stack.push(this.#persistent(this.#line(), at));
          break;
        default:
          throw this.#error(at, `unsupported pickle opcode 0x${opcode.toString(16).padStart(2, "0")}`);
      }
    }
  }

  #global(module: string, name: string): PickleGlobal {
    const fullName = `${module}.${name}`;
    if (!Object.hasOwn(this.#options.globals, fullName)) {
      throw new UnsafePickleError(
        this.#source,
        `refusing to unpickle the global ${fileName(fullName)}: only ` +
          `${Object.keys(this.#options.globals).join(", ") || "no globals"} may appear. The file may be ` +
          `malicious (pickles can run code) or it is not what it claims to be.`,
        fullName,
      );
    }
    return new PickleGlobal(fullName, this.#options.globals[fullName]);
  }

  #call(callable: unknown, args: unknown, at: number): unknown {
    if (!(callable instanceof PickleGlobal) || !callable.allowed.call) {
      const what = callable instanceof PickleGlobal ? callable.name : typeof callable;
      throw this.#error(at, `${what} cannot be called`);
    }
    if (!Array.isArray(args)) throw this.#error(at, `arguments of ${callable.name} are not a tuple`);
    if (args.length > MAX_CALL_ARGUMENTS) {
      throw this.#error(at, `${callable.name} called with ${args.length} arguments`);
    }
    return this.#guard(at, () => callable.allowed.call!(...args));
  }

  #persistent(pid: unknown, at: number): unknown {
    const persistentLoad = this.#options.persistentLoad;
    if (!persistentLoad) throw this.#error(at, "persistent id without a persistent loader");
    return this.#guard(at, () => persistentLoad(pid));
  }

  /** Runs a caller's function; what it refuses becomes this pickle's error at byte `at`. */
  #guard(at: number, run: () => unknown): unknown {
    try {
      return run();
    } catch (error) {
      if (error instanceof ModelFileError) throw error;
      throw this.#error(at, (error as Error).message);
    }
  }

  #error(at: number, message: string): ModelFileError {
    return new ModelFileError(this.#source, `${message} (at byte ${at})`);
  }

  #list(value: unknown, at: number): unknown[] {
    if (!Array.isArray(value)) throw this.#error(at, "APPEND to something that is not a list");
    return value;
  }

  #dict(value: unknown, at: number): Map<unknown, unknown> {
    if (!(value instanceof Map)) throw this.#error(at, "SETITEM on something that is not a dict");
    return value;
  }

  #memoGet(key: number, at: number): unknown {
    if (!this.#memo.has(key)) throw this.#error(at, `memo key ${key} was never stored`);
    return this.#memo.get(key);
  }

  #pop(): unknown {
    if (this.#stack.length === 0) throw this.#error(this.#position, "stack underflow");
    const value = this.#stack.pop();
    if (value === MARK) throw this.#error(this.#position, "unexpected MARK on the stack");
    return value;
  }

  #top(): unknown {
    if (this.#stack.length === 0) throw this.#error(this.#position, "stack underflow");
    return this.#stack[this.#stack.length - 1];
  }

  /** The top `count` items, as a tuple. */
  #popItems(count: number): unknown[] {
    if (this.#stack.length < count) throw this.#error(this.#position, "stack underflow");
    const items = this.#stack.splice(-count, count);
    if (items.includes(MARK)) throw this.#error(this.#position, "unexpected MARK on the stack");
    return items;
  }

  #popMark(): unknown[] {
    const mark = this.#marks.pop();
    if (mark === undefined) throw this.#error(this.#position, "no MARK to pop to");
    return this.#stack.splice(mark).slice(1);
  }

  /** Moves past `count` bytes, refusing a length that is negative or beyond the end (before any allocation). */
  #advance(count: number): number {
    const at = this.#position;
    if (count < 0) throw this.#error(at, `negative length ${count}`);
    const left = this.#bytes.length - at;
    if (count > left) {
      throw this.#error(
        at,
        `length ${count} goes beyond the end of the pickle (${left} bytes left; truncated?)`,
      );
    }
    this.#position += count;
    return at;
  }

  #take(count: number): Uint8Array {
    const at = this.#advance(count);
    return this.#bytes.subarray(at, at + count);
  }

  #u8(): number {
    return this.#bytes[this.#advance(1)];
  }

  #u64(): number {
    return Number(this.#view.getBigUint64(this.#advance(8), true));
  }

  #utf8(length: number): string {
    const at = this.#position;
    try {
      return UTF8.decode(this.#take(length));
    } catch (error) {
      if (error instanceof ModelFileError) throw error;
      throw this.#error(at, `a string of ${length} bytes is not valid UTF-8`);
    }
  }

  #latin1(length: number): string {
    const bytes = this.#take(length);
    // In slices: spreading a long string's bytes as arguments overflows the stack.
    const parts: string[] = [];
    for (let i = 0; i < bytes.length; i += 8192) {
      parts.push(String.fromCharCode(...bytes.subarray(i, i + 8192)));
    }
    return parts.join("");
  }

  #line(): string {
    const newline = this.#bytes.indexOf(0x0a, this.#position);
    if (newline < 0) throw this.#error(this.#position, "unterminated text argument");
    return this.#latin1(newline - this.#position + 1).slice(0, -1);
  }

  #integer(text: string, at: number): number | bigint {
    if (text.length > MAX_INTEGER_DIGITS) {
      throw this.#error(at, `integer of ${text.length} digits (at most ${MAX_INTEGER_DIGITS} are read)`);
    }
    if (!/^[+-]?\d+$/.test(text.trim())) throw this.#error(at, `not an integer: ${JSON.stringify(text)}`);
    return narrow(BigInt(text.trim()));
  }

  /** Two's-complement little-endian integer of `length` bytes, built from its hex digits in linear time. */
  #long(length: number, at: number): number | bigint {
    if (length > MAX_INTEGER_BYTES) {
      throw this.#error(at, `integer of ${length} bytes (at most ${MAX_INTEGER_BYTES} are read)`);
    }
    const bytes = this.#take(length);
    if (length === 0) return 0;
    let hex = "";
    for (let i = length - 1; i >= 0; i--) hex += bytes[i].toString(16).padStart(2, "0");
    let value = BigInt(`0x${hex}`);
    if (bytes[length - 1] & 0x80) value -= 1n << BigInt(8 * length);
    return narrow(value);
  }
}

/**
 * Reads the pickles stored back to back in `bytes` from `offset`, returning each value and where the next
 * pickle starts (legacy `torch.save` files are a sequence of pickles followed by raw storage bytes).
 *
 * @example
 * ```ts
 * declare const bytes: any; // the example's inputs
 * const { value, end } = unpickleAt(bytes, 0, { globals: {} });
 * ```
 */
export function unpickleAt(
  bytes: Uint8Array,
  offset: number,
  options: UnpickleOptions,
): { value: unknown; end: number } {
  const unpickler = new Unpickler(bytes.subarray(offset), options);
  const value = unpickler.load();
  return { value, end: offset + unpickler.end };
}
