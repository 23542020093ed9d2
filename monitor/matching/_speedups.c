/* Compiled versions of the two loops that run over every character and every automaton hit
 * of every article (see monitor/matching/speedups.py, which holds the pure-Python versions
 * these must agree with, and says why they exist).
 *
 * tokenize_ascii(plain: str) -> (text: str, table: bytes)
 *     `plain` must be ASCII. Its words are the runs of ASCII letters and digits. `text` is
 *     " " + " ".join(lowered words) + " " (" " when there are none); `table` holds two
 *     native int32 arrays of one entry per word, one after the other: where each word begins
 *     in `plain`, and where it ends (exclusive).
 *
 * build_trie(keys: list[str], values: list[int]) -> bytes
 *     A trie of the keys (sorted, distinct, each starting with a space), see below.
 *
 * trie_hits(trie: bytes, text: str) -> dict[int, list[int]]
 *     Every occurrence of a key in `text` (a field's " w w w " text, single spaces): value ->
 *     the number of the word each occurrence starts at (after its leading space), in order.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

static PyObject *
tokenize_ascii(PyObject *module, PyObject *arg)
{
    (void)module;
    if (!PyUnicode_Check(arg) || !PyUnicode_IS_ASCII(arg)) {
        PyErr_SetString(PyExc_ValueError, "tokenize_ascii needs an ASCII str");
        return NULL;
    }
    const Py_ssize_t length = PyUnicode_GET_LENGTH(arg);
    if (length > INT32_MAX - 2) {
        PyErr_SetString(PyExc_OverflowError, "text too long");
        return NULL;
    }
    const unsigned char *source = PyUnicode_1BYTE_DATA(arg);

    /* At most one word per two characters, rounded up. */
    const Py_ssize_t most = (length + 1) / 2;
    int32_t *table = PyMem_Malloc(sizeof(int32_t) * 2 * (size_t)(most ? most : 1));
    /* The text is never longer than `plain` plus the two outer spaces. */
    unsigned char *joined = PyMem_Malloc((size_t)length + 2);
    if (table == NULL || joined == NULL) {
        PyMem_Free(table);
        PyMem_Free(joined);
        return PyErr_NoMemory();
    }
    int32_t *begins = table, *ends = table + most;
    Py_ssize_t words = 0, out = 0;
    joined[out++] = ' ';
    Py_ssize_t i = 0;
    while (i < length) {
        unsigned char c = source[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            i++;
            continue;
        }
        begins[words] = (int32_t)i;
        while (i < length) {
            c = source[i];
            if (c >= 'A' && c <= 'Z') {
                c = (unsigned char)(c + ('a' - 'A'));
            }
            else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                break;
            }
            joined[out++] = c;
            i++;
        }
        ends[words] = (int32_t)i;
        joined[out++] = ' ';
        words++;
    }

    PyObject *text = PyUnicode_New(out, 127);
    PyObject *packed = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(sizeof(int32_t) * 2 * words));
    if (text == NULL || packed == NULL) {
        Py_XDECREF(text);
        Py_XDECREF(packed);
        PyMem_Free(table);
        PyMem_Free(joined);
        return NULL;
    }
    memcpy(PyUnicode_1BYTE_DATA(text), joined, (size_t)out);
    char *target = PyBytes_AS_STRING(packed);
    const size_t row = sizeof(int32_t) * (size_t)words;
    memcpy(target, begins, row);
    memcpy(target + row, ends, row);
    PyMem_Free(table);
    PyMem_Free(joined);
    PyObject *result = PyTuple_Pack(2, text, packed);
    Py_DECREF(text);
    Py_DECREF(packed);
    return result;
}

/* ---- the pattern trie ------------------------------------------------------------------
 *
 * Every automaton pattern starts with the space before its first word (" a b " or the
 * prefix " a b"), and in a field's text a space comes before every word. So a pattern can
 * only start at a space, and a plain trie walked from each space finds every occurrence:
 * no failure links, and the walk from a word stops as soon as no pattern continues.
 *
 * The trie is one bytes object, so it pickles with the compiled rules:
 *     header   int32 magic, node count, edge count, dense table count
 *     nodes    per node: int32 first edge, int32 edge count, int32 value (-1: no pattern
 *              ends here), int32 dense table (-1: none)
 *     edges    per edge: uint32 code point, int32 child; a node's edges are contiguous and
 *              sorted by code point
 *     dense    per table: 128 int32, the child for each ASCII character (-1: none)
 * Node 0 is the root. Nodes with many children (the first letters of words, right after a
 * space) also get a dense table, so the commonest steps are one array look-up rather than a
 * binary search.
 */

#define TRIE_MAGIC 0x54524932 /* "TRI2" */
#define DENSE_MIN 8           /* children from which a node gets a dense table */

typedef struct {
    int32_t first;
    int32_t count;
    int32_t value;
    int32_t dense;
} TrieNode;

typedef struct {
    uint32_t label;
    int32_t child;
} TrieEdge;

static PyObject *
build_trie(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *keys, *values;
    if (!PyArg_ParseTuple(args, "O!O!:build_trie", &PyList_Type, &keys, &PyList_Type, &values)) {
        return NULL;
    }
    const Py_ssize_t count = PyList_GET_SIZE(keys);
    if (PyList_GET_SIZE(values) != count) {
        PyErr_SetString(PyExc_ValueError, "build_trie needs as many values as keys");
        return NULL;
    }
    /* At most one node per character, plus the root. */
    Py_ssize_t most = 1;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *key = PyList_GET_ITEM(keys, k);
        if (!PyUnicode_Check(key)) {
            PyErr_SetString(PyExc_TypeError, "build_trie keys must be str");
            return NULL;
        }
        most += PyUnicode_GET_LENGTH(key);
    }
    if (most > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many patterns");
        return NULL;
    }
    /* Edges are made in depth-first order (parent, label, child), then grouped by parent. */
    int32_t *parent = PyMem_Malloc(sizeof(int32_t) * (size_t)most);
    uint32_t *label = PyMem_Malloc(sizeof(uint32_t) * (size_t)most);
    int32_t *value = PyMem_Malloc(sizeof(int32_t) * (size_t)most);
    int32_t *path = PyMem_Malloc(sizeof(int32_t) * (size_t)most);
    int32_t *edge_count = PyMem_Calloc((size_t)most, sizeof(int32_t));
    int32_t *edge_first = PyMem_Malloc(sizeof(int32_t) * (size_t)most);
    PyObject *blob = NULL;
    if (!parent || !label || !value || !path || !edge_count || !edge_first) {
        PyErr_NoMemory();
        goto done;
    }
    int32_t nodes = 1;
    value[0] = -1;
    path[0] = 0;
    PyObject *previous = NULL;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *key = PyList_GET_ITEM(keys, k);
        const Py_ssize_t length = PyUnicode_GET_LENGTH(key);
        const int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t shared = 0; /* characters in common with the previous key */
        if (previous != NULL) {
            int order = PyUnicode_Compare(previous, key);
            if (order == -1 && PyErr_Occurred()) {
                goto done;
            }
            if (order >= 0) {
                PyErr_SetString(PyExc_ValueError, "build_trie keys must be sorted and distinct");
                goto done;
            }
            const Py_ssize_t previous_length = PyUnicode_GET_LENGTH(previous);
            const int previous_kind = PyUnicode_KIND(previous);
            const void *previous_data = PyUnicode_DATA(previous);
            while (shared < length && shared < previous_length
                   && PyUnicode_READ(kind, data, shared)
                          == PyUnicode_READ(previous_kind, previous_data, shared)) {
                shared++;
            }
        }
        for (Py_ssize_t d = shared; d < length; d++) {
            const int32_t node = nodes++;
            parent[node] = path[d];
            label[node] = (uint32_t)PyUnicode_READ(kind, data, d);
            value[node] = -1;
            edge_count[path[d]]++;
            path[d + 1] = node;
        }
        long number = PyLong_AsLong(PyList_GET_ITEM(values, k));
        if (number == -1 && PyErr_Occurred()) {
            goto done;
        }
        if (number < 0 || number > INT32_MAX) {
            PyErr_SetString(PyExc_ValueError, "build_trie values must be int32 and not negative");
            goto done;
        }
        value[path[length]] = (int32_t)number;
        previous = key;
    }
    const int32_t edges = nodes - 1; /* every node but the root hangs from one edge */
    int32_t dense = 0;
    for (int32_t n = 0; n < nodes; n++) {
        dense += edge_count[n] >= DENSE_MIN;
    }
    const size_t size = sizeof(int32_t) * 4 + sizeof(TrieNode) * (size_t)nodes
                        + sizeof(TrieEdge) * (size_t)edges
                        + sizeof(int32_t) * 128 * (size_t)dense;
    blob = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (blob == NULL) {
        goto done;
    }
    char *out = PyBytes_AS_STRING(blob);
    const int32_t header[4] = {TRIE_MAGIC, nodes, edges, dense};
    memcpy(out, header, sizeof header);
    TrieNode *node_table = (TrieNode *)(out + sizeof header);
    TrieEdge *edge_table = (TrieEdge *)(node_table + nodes);
    int32_t *dense_table = (int32_t *)(edge_table + edges);
    memset(dense_table, 0xff, sizeof(int32_t) * 128 * (size_t)dense); /* all -1 */
    int32_t next = 0, next_dense = 0;
    for (int32_t n = 0; n < nodes; n++) {
        node_table[n].first = next;
        node_table[n].count = edge_count[n];
        node_table[n].value = value[n];
        node_table[n].dense = edge_count[n] >= DENSE_MIN ? next_dense++ : -1;
        edge_first[n] = next;
        next += edge_count[n];
    }
    /* Children in creation order: for each parent, that is increasing code point order. */
    for (int32_t n = 1; n < nodes; n++) {
        TrieEdge *edge = &edge_table[edge_first[parent[n]]++];
        edge->label = label[n];
        edge->child = n;
        const int32_t table = node_table[parent[n]].dense;
        if (table >= 0 && label[n] < 128) {
            dense_table[(size_t)table * 128 + label[n]] = n;
        }
    }
done:
    PyMem_Free(parent);
    PyMem_Free(label);
    PyMem_Free(value);
    PyMem_Free(path);
    PyMem_Free(edge_count);
    PyMem_Free(edge_first);
    return blob;
}

/* The hits of one search, grouped by pattern in an open-addressing table keyed by the
 * pattern number, so a hit costs no dict look-up and no int object for its pattern. */
typedef struct {
    int32_t value; /* -1: free */
    PyObject *tokens;
} HitGroup;

typedef struct {
    HitGroup *slots;
    size_t mask; /* capacity - 1, a power of two minus one */
    size_t used;
} HitGroups;

static HitGroup *
group_slot(HitGroup *slots, size_t mask, int32_t value)
{
    size_t at = ((uint32_t)value * 2654435761u) & mask;
    while (slots[at].value != value && slots[at].value != -1) {
        at = (at + 1) & mask;
    }
    return &slots[at];
}

static int
groups_grow(HitGroups *groups)
{
    const size_t capacity = (groups->mask + 1) * 2;
    HitGroup *slots = PyMem_Malloc(sizeof(HitGroup) * capacity);
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < capacity; i++) {
        slots[i].value = -1;
        slots[i].tokens = NULL;
    }
    for (size_t i = 0; i <= groups->mask; i++) {
        if (groups->slots[i].value != -1) {
            *group_slot(slots, capacity - 1, groups->slots[i].value) = groups->slots[i];
        }
    }
    PyMem_Free(groups->slots);
    groups->slots = slots;
    groups->mask = capacity - 1;
    return 0;
}

static int
groups_add(HitGroups *groups, int32_t value, Py_ssize_t token)
{
    HitGroup *slot = group_slot(groups->slots, groups->mask, value);
    if (slot->value == -1) {
        if ((groups->used + 1) * 2 > groups->mask + 1) {
            if (groups_grow(groups) < 0) {
                return -1;
            }
            slot = group_slot(groups->slots, groups->mask, value);
        }
        if ((slot->tokens = PyList_New(0)) == NULL) {
            return -1;
        }
        slot->value = value;
        groups->used++;
    }
    PyObject *number = PyLong_FromSsize_t(token);
    if (number == NULL) {
        return -1;
    }
    int appended = PyList_Append(slot->tokens, number);
    Py_DECREF(number);
    return appended;
}

/* The groups as a dict (NULL on error); frees the table either way. */
static PyObject *
groups_finish(HitGroups *groups, int failed)
{
    PyObject *result = failed ? NULL : PyDict_New();
    for (size_t i = 0; i <= groups->mask; i++) {
        HitGroup *slot = &groups->slots[i];
        if (slot->value == -1) {
            continue;
        }
        if (result != NULL) {
            PyObject *key = PyLong_FromLong(slot->value);
            if (key == NULL || PyDict_SetItem(result, key, slot->tokens) < 0) {
                Py_CLEAR(result);
            }
            Py_XDECREF(key);
        }
        Py_DECREF(slot->tokens);
    }
    PyMem_Free(groups->slots);
    return result;
}

/* A trie's tables, read from its bytes. */
typedef struct {
    const TrieNode *nodes;
    const TrieEdge *edges;
    const int32_t *dense;
    int32_t after_space; /* the root's child for " ", or -1 */
} Trie;

/* The child of `node` for character `c`, or -1. */
static inline int32_t
trie_step(const Trie *trie, int32_t node, uint32_t c)
{
    const TrieNode *here = &trie->nodes[node];
    if (c < 128 && here->dense >= 0) {
        return trie->dense[(size_t)here->dense * 128 + c];
    }
    const TrieEdge *low = trie->edges + here->first;
    const TrieEdge *end = low + here->count;
    const TrieEdge *high = end; /* binary search in [low, high) */
    while (low < high) {
        const TrieEdge *middle = low + (high - low) / 2;
        if (middle->label < c) {
            low = middle + 1;
        }
        else {
            high = middle;
        }
    }
    return (low == end || low->label != c) ? -1 : low->child;
}

/* One walk per word: the word's leading space is matched by starting at `after_space`. The
 * text is read as `CHAR`s (one of the three sizes a str stores its characters in). */
#define WALK_ALL(CHAR)                                                                   \
    do {                                                                                 \
        const CHAR *chars = (const CHAR *)data;                                          \
        int32_t token = 0;                                                               \
        for (Py_ssize_t start = 0; start < length; start++) {                            \
            if (chars[start] != ' ') {                                                   \
                continue;                                                                \
            }                                                                            \
            int32_t node = trie.after_space;                                             \
            if (trie.nodes[node].value >= 0                                              \
                && groups_add(&groups, trie.nodes[node].value, token) < 0) {             \
                goto failed;                                                             \
            }                                                                            \
            for (Py_ssize_t at = start + 1; at < length; at++) {                         \
                node = trie_step(&trie, node, chars[at]);                                \
                if (node < 0) {                                                          \
                    break;                                                               \
                }                                                                        \
                if (trie.nodes[node].value >= 0                                          \
                    && groups_add(&groups, trie.nodes[node].value, token) < 0) {         \
                    goto failed;                                                         \
                }                                                                        \
            }                                                                            \
            token++;                                                                     \
        }                                                                                \
    } while (0)

static PyObject *
trie_hits(PyObject *module, PyObject *args)
{
    (void)module;
    Py_buffer buffer;
    PyObject *text;
    if (!PyArg_ParseTuple(args, "y*U:trie_hits", &buffer, &text)) {
        return NULL;
    }
    const char *raw = buffer.buf;
    int32_t header[4];
    if ((size_t)buffer.len < sizeof header) {
        goto corrupt;
    }
    memcpy(header, raw, sizeof header);
    const int32_t nodes = header[1], edges = header[2], dense = header[3];
    if (header[0] != TRIE_MAGIC || nodes < 1 || edges != nodes - 1 || dense < 0
        || (size_t)buffer.len != sizeof header + sizeof(TrieNode) * (size_t)nodes
                                     + sizeof(TrieEdge) * (size_t)edges
                                     + sizeof(int32_t) * 128 * (size_t)dense) {
        goto corrupt;
    }
    Trie trie;
    trie.nodes = (const TrieNode *)(raw + sizeof header);
    trie.edges = (const TrieEdge *)(trie.nodes + nodes);
    trie.dense = (const int32_t *)(trie.edges + edges);
    trie.after_space = trie_step(&trie, 0, ' ');

    HitGroups groups = {PyMem_Malloc(sizeof(HitGroup) * 64), 63, 0};
    if (groups.slots == NULL) {
        PyBuffer_Release(&buffer);
        return PyErr_NoMemory();
    }
    for (size_t i = 0; i <= groups.mask; i++) {
        groups.slots[i].value = -1;
        groups.slots[i].tokens = NULL;
    }
    if (trie.after_space >= 0) { /* else no pattern at all starts with a space */
        const Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        const void *data = PyUnicode_DATA(text);
        switch (PyUnicode_KIND(text)) {
        case PyUnicode_1BYTE_KIND:
            WALK_ALL(Py_UCS1);
            break;
        case PyUnicode_2BYTE_KIND:
            WALK_ALL(Py_UCS2);
            break;
        default:
            WALK_ALL(Py_UCS4);
            break;
        }
    }
    PyBuffer_Release(&buffer);
    return groups_finish(&groups, 0);

failed:
    PyBuffer_Release(&buffer);
    return groups_finish(&groups, 1);

corrupt:
    PyBuffer_Release(&buffer);
    PyErr_SetString(PyExc_ValueError, "trie_hits: not a trie made by build_trie");
    return NULL;
}


/* sketch(text: str) -> (sketch: bytes, keys: bytes)
 *
 * The near-duplicate fingerprint of a story (see monitor/stories/sketch.py, which holds the
 * Python version this must agree with, and says why it is built this way). `text` is
 * normalised words separated by spaces. Each word is hashed (FNV-1a 64 over its UTF-8), each
 * run of three words makes a shingle (splitmix64 of w0*K1 + w1*K2 + w2), and the shingles
 * are spread over SKETCH_BINS bins by their top bits: a bin keeps the low 32 bits of its
 * smallest shingle, EMPTY_BIN when none falls in it (one-permutation MinHash). `keys` are
 * up to SKETCH_KEYS index keys: the non-empty bins with the smallest values, each mixed
 * with its bin number. Both are little-endian uint32 arrays.
 */
#define SKETCH_BINS 256
#define SKETCH_KEYS 16
#define EMPTY_BIN 0xFFFFFFFFu

static uint64_t
mix64(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xbf58476d1ce4e5b9ULL;
    z ^= z >> 27;
    z *= 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z;
}

static void
put_u32(unsigned char *out, uint32_t value)
{
    out[0] = (unsigned char)(value & 0xFF);
    out[1] = (unsigned char)((value >> 8) & 0xFF);
    out[2] = (unsigned char)((value >> 16) & 0xFF);
    out[3] = (unsigned char)((value >> 24) & 0xFF);
}

static void
sketch_add(uint64_t *mins, uint64_t shingle)
{
    uint64_t h = mix64(shingle);
    unsigned bin = (unsigned)(h >> 56);
    if (h < mins[bin])
        mins[bin] = h;
}

static PyObject *
sketch(PyObject *module, PyObject *arg)
{
    (void)module;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "sketch needs a str");
        return NULL;
    }
    Py_ssize_t length;
    const char *data = PyUnicode_AsUTF8AndSize(arg, &length);
    if (data == NULL)
        return NULL;
    const uint64_t K1 = 0x9e3779b97f4a7c15ULL, K2 = 0xc2b2ae3d27d4eb4fULL;
    uint64_t mins[SKETCH_BINS];
    for (int b = 0; b < SKETCH_BINS; b++)
        mins[b] = UINT64_MAX;
    uint64_t w0 = 0, w1 = 0;
    Py_ssize_t words = 0, i = 0;
    int any = 0;
    while (i < length) {
        if (data[i] == ' ') {
            i++;
            continue;
        }
        uint64_t h = 0xcbf29ce484222325ULL;
        while (i < length && data[i] != ' ') {
            h ^= (unsigned char)data[i];
            h *= 0x100000001b3ULL;
            i++;
        }
        if (words >= 2) {
            sketch_add(mins, w0 * K1 + w1 * K2 + h);
            any = 1;
        }
        w0 = w1;
        w1 = h;
        words++;
    }
    if (!any && words > 0) /* one or two words: one shingle of what there is */
        sketch_add(mins, words == 1 ? w1 * K1 : w0 * K1 + w1 * K2);

    uint32_t values[SKETCH_BINS];
    unsigned char out[SKETCH_BINS * 4], keys[SKETCH_KEYS * 4];
    int filled = 0;
    for (int b = 0; b < SKETCH_BINS; b++) {
        uint32_t v = EMPTY_BIN;
        if (mins[b] != UINT64_MAX) {
            v = (uint32_t)(mins[b] & 0xFFFFFFFFu);
            if (v == EMPTY_BIN)
                v = EMPTY_BIN - 1;
            filled++;
        }
        values[b] = v;
        put_u32(out + 4 * b, v);
    }
    /* The SKETCH_KEYS smallest non-empty values, ties by bin: a selection, 256 x 16 at most. */
    int chosen = 0;
    unsigned char taken[SKETCH_BINS] = {0};
    int want = filled < SKETCH_KEYS ? filled : SKETCH_KEYS;
    while (chosen < want) {
        int best = -1;
        for (int b = 0; b < SKETCH_BINS; b++) {
            if (taken[b] || values[b] == EMPTY_BIN)
                continue;
            if (best < 0 || values[b] < values[best])
                best = b;
        }
        taken[best] = 1;
        uint32_t key = (uint32_t)((values[best] * 0x9e3779b1u) ^ ((uint32_t)best * 0x85ebca77u));
        put_u32(keys + 4 * chosen, key ? key : 1u);
        chosen++;
    }
    return Py_BuildValue("(y#y#)", (const char *)out, (Py_ssize_t)sizeof(out), (const char *)keys,
                         (Py_ssize_t)(4 * chosen));
}

/* The story index's inner loops (see monitor/stories/index.py, which holds the numpy
 * versions these must agree with, and says what the table is).
 *
 * index_insert(keys_table, stories_table, keys, owners, cap) -> None
 *     keys_table and stories_table are writable C-contiguous uint32 buffers of
 *     buckets x SLOTS cells; keys and owners are uint32 buffers of equal length (native
 *     order). Each (key, owner) goes to bucket key % buckets: over the oldest cell of the
 *     same key if the bucket holds `cap` of them already, else into an empty cell (owner 0)
 *     or over the bucket's oldest cell.
 *
 * index_candidates(keys_table, stories_table, keys, oldest, need) -> list[int]
 *     The owners >= oldest sharing at least `need` of `keys` (or all of them, when there
 *     are fewer), most shared first, then newest first.
 *
 * sketch_similarity(a, b) -> float
 *     Bins equal and non-empty in both over bins non-empty in either (0.0 if none).
 */
#define INDEX_SLOTS 8

static int
index_tables(PyObject *kt, PyObject *st, Py_buffer *kb, Py_buffer *sb, Py_ssize_t *buckets,
             int writable)
{
    int flags = PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(kt, kb, flags) < 0)
        return -1;
    if (PyObject_GetBuffer(st, sb, flags) < 0) {
        PyBuffer_Release(kb);
        return -1;
    }
    Py_ssize_t cells = kb->len / 4;
    if (kb->len != sb->len || kb->len % (4 * INDEX_SLOTS) != 0 || cells == 0) {
        PyBuffer_Release(kb);
        PyBuffer_Release(sb);
        PyErr_SetString(PyExc_ValueError, "index tables must be equal uint32 buckets x 8");
        return -1;
    }
    *buckets = cells / INDEX_SLOTS;
    return 0;
}

static PyObject *
index_insert(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *kt, *st, *ko, *oo;
    unsigned int cap;
    if (!PyArg_ParseTuple(args, "OOOOI", &kt, &st, &ko, &oo, &cap))
        return NULL;
    Py_buffer kb, sb, qb, ob;
    Py_ssize_t buckets;
    if (index_tables(kt, st, &kb, &sb, &buckets, 1) < 0)
        return NULL;
    if (PyObject_GetBuffer(ko, &qb, PyBUF_C_CONTIGUOUS) < 0)
        goto fail2;
    if (PyObject_GetBuffer(oo, &ob, PyBUF_C_CONTIGUOUS) < 0)
        goto fail3;
    if (qb.len != ob.len || qb.len % 4 != 0) {
        PyErr_SetString(PyExc_ValueError, "keys and owners must be uint32 of equal length");
        goto fail4;
    }
    uint32_t *ktab = kb.buf, *stab = sb.buf;
    const uint32_t *keys = qb.buf, *owners = ob.buf;
    Py_ssize_t n = qb.len / 4;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint32_t key = keys[i];
        uint32_t *kc = ktab + (Py_ssize_t)(key % (uint64_t)buckets) * INDEX_SLOTS;
        uint32_t *sc = stab + (kc - ktab);
        int same = 0, oldest_same = -1, oldest = 0;
        for (int c = 0; c < INDEX_SLOTS; c++) {
            if (sc[c] != 0 && kc[c] == key) {
                same++;
                if (oldest_same < 0 || sc[c] < sc[oldest_same])
                    oldest_same = c;
            }
            if (sc[c] < sc[oldest])
                oldest = c;
        }
        int slot = (unsigned)same >= cap && oldest_same >= 0 ? oldest_same : oldest;
        kc[slot] = key;
        sc[slot] = owners[i];
    }
    PyBuffer_Release(&ob);
    PyBuffer_Release(&qb);
    PyBuffer_Release(&sb);
    PyBuffer_Release(&kb);
    Py_RETURN_NONE;
fail4:
    PyBuffer_Release(&ob);
fail3:
    PyBuffer_Release(&qb);
fail2:
    PyBuffer_Release(&sb);
    PyBuffer_Release(&kb);
    return NULL;
}

static PyObject *
index_candidates(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *kt, *st, *ko;
    unsigned int oldest, need;
    if (!PyArg_ParseTuple(args, "OOOII", &kt, &st, &ko, &oldest, &need))
        return NULL;
    Py_buffer kb, sb, qb;
    Py_ssize_t buckets;
    if (index_tables(kt, st, &kb, &sb, &buckets, 0) < 0)
        return NULL;
    if (PyObject_GetBuffer(ko, &qb, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&sb);
        PyBuffer_Release(&kb);
        return NULL;
    }
    const uint32_t *ktab = kb.buf, *stab = sb.buf, *keys = qb.buf;
    Py_ssize_t n = qb.len / 4;
    if (n > 64)
        n = 64; /* a sketch has 16 keys; more is not ours to look up */
    uint32_t found[64 * INDEX_SLOTS];
    int counts[64 * INDEX_SLOTS];
    int distinct = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint32_t *kc = ktab + (Py_ssize_t)(keys[i] % (uint64_t)buckets) * INDEX_SLOTS;
        const uint32_t *sc = stab + (kc - ktab);
        for (int c = 0; c < INDEX_SLOTS; c++) {
            if (kc[c] != keys[i] || sc[c] == 0 || sc[c] < oldest)
                continue;
            int j = 0;
            while (j < distinct && found[j] != sc[c])
                j++;
            if (j == distinct) {
                found[distinct] = sc[c];
                counts[distinct++] = 0;
            }
            counts[j]++;
        }
    }
    PyBuffer_Release(&qb);
    PyBuffer_Release(&sb);
    PyBuffer_Release(&kb);
    int least = (Py_ssize_t)need < n ? (int)need : (int)n;
    /* Insertion sort: most shared first, then newest (highest number) first. */
    for (int a = 1; a < distinct; a++) {
        uint32_t f = found[a];
        int k = counts[a], b = a - 1;
        while (b >= 0 && (counts[b] < k || (counts[b] == k && found[b] < f))) {
            found[b + 1] = found[b];
            counts[b + 1] = counts[b];
            b--;
        }
        found[b + 1] = f;
        counts[b + 1] = k;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (int j = 0; j < distinct && counts[j] >= least; j++) {
        PyObject *number = PyLong_FromUnsignedLong(found[j]);
        if (number == NULL || PyList_Append(out, number) < 0) {
            Py_XDECREF(number);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(number);
    }
    return out;
}

static PyObject *
sketch_similarity(PyObject *module, PyObject *args)
{
    (void)module;
    Py_buffer a, b;
    if (!PyArg_ParseTuple(args, "y*y*", &a, &b))
        return NULL;
    if (a.len != b.len || a.len % 4 != 0) {
        PyBuffer_Release(&a);
        PyBuffer_Release(&b);
        PyErr_SetString(PyExc_ValueError, "sketches of different sizes");
        return NULL;
    }
    const unsigned char *x = a.buf, *y = b.buf;
    Py_ssize_t same = 0, either = 0;
    for (Py_ssize_t i = 0; i < a.len; i += 4) {
        uint32_t p, q;
        memcpy(&p, x + i, 4);
        memcpy(&q, y + i, 4);
        if (p != EMPTY_BIN || q != EMPTY_BIN) {
            either++;
            if (p == q)
                same++;
        }
    }
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    return PyFloat_FromDouble(either ? (double)same / (double)either : 0.0);
}

/* ---- keyword rules ------------------------------------------------------------------------
 *
 * rule_matches(table: bytes, offsets: bytes, candidates: list[int], occurring: bytes)
 *     -> list[int]
 *
 * At 100,000 rules an article can wake two thousand candidate rules and match a thousand;
 * their keyword conditions are decided here, in candidate order. `occurring` has one byte per
 * term, non-zero when the term occurs in the article. `offsets` (int32 per rule) points into
 * `table` (int32s): flags, then the counts of `all`, `any`, `none` and positive keywords,
 * then those term numbers. Flags bit 0: the rule has entities or a query, which only Python
 * evaluates. For each candidate, in order:
 *   - a rule with entities or a query: -(rule + 1), whatever its keywords;
 *   - a keyword rule that matches: rule * 64 + p, where p is the position among its positive
 *     keywords (`all` then `any`) of the only one that occurs, or 63 when several do (or the
 *     one that occurs is the 63rd or later);
 *   - a keyword rule that does not match: nothing.
 */

#define RULE_COMPLEX 1
#define RULE_SEVERAL 63

static PyObject *
rule_matches(PyObject *module, PyObject *args)
{
    (void)module;
    Py_buffer tb, ob, cb;
    PyObject *candidates;
    if (!PyArg_ParseTuple(args, "y*y*O!y*", &tb, &ob, &PyList_Type, &candidates, &cb)) {
        return NULL;
    }
    const int32_t *table = (const int32_t *)tb.buf;
    const Py_ssize_t table_len = tb.len / (Py_ssize_t)sizeof(int32_t);
    const int32_t *offsets = (const int32_t *)ob.buf;
    const Py_ssize_t rules = ob.len / (Py_ssize_t)sizeof(int32_t);
    const unsigned char *occurring = (const unsigned char *)cb.buf;
    const Py_ssize_t terms = cb.len;
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        goto done;
    }
    const Py_ssize_t count = PyList_GET_SIZE(candidates);
    for (Py_ssize_t i = 0; i < count; i++) {
        const Py_ssize_t rule = PyLong_AsSsize_t(PyList_GET_ITEM(candidates, i));
        if (rule == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (rule < 0 || rule >= rules || offsets[rule] < 0 || offsets[rule] + 5 > table_len) {
            PyErr_SetString(PyExc_IndexError, "rule_matches: rule out of range");
            goto fail;
        }
        const int32_t *row = table + offsets[rule];
        const int32_t n_all = row[1], n_any = row[2], n_none = row[3], n_pos = row[4];
        if (n_all < 0 || n_any < 0 || n_none < 0 || n_pos < 0 ||
            (Py_ssize_t)offsets[rule] + 5 + n_all + n_any + n_none + n_pos > table_len) {
            PyErr_SetString(PyExc_ValueError, "rule_matches: malformed table");
            goto fail;
        }
        long long code;
        if (row[0] & RULE_COMPLEX) {
            code = -(long long)rule - 1;
        }
        else {
            const int32_t *ids = row + 5;
            int ok = 1;
            for (int32_t k = 0; ok && k < n_all; k++) {
                ok = ids[k] >= 0 && ids[k] < terms && occurring[ids[k]];
            }
            ids += n_all;
            if (ok && n_any) {
                ok = 0;
                for (int32_t k = 0; !ok && k < n_any; k++) {
                    ok = ids[k] >= 0 && ids[k] < terms && occurring[ids[k]];
                }
            }
            ids += n_any;
            for (int32_t k = 0; ok && k < n_none; k++) {
                ok = !(ids[k] >= 0 && ids[k] < terms && occurring[ids[k]]);
            }
            if (!ok) {
                continue;
            }
            ids += n_none;
            int32_t found = -1;
            for (int32_t k = 0; k < n_pos; k++) {
                if (ids[k] >= 0 && ids[k] < terms && occurring[ids[k]]) {
                    found = found == -1 ? k : RULE_SEVERAL;
                    if (found == RULE_SEVERAL) {
                        break;
                    }
                }
            }
            if (found < 0 || found > RULE_SEVERAL) {
                found = RULE_SEVERAL;
            }
            code = (long long)rule * 64 + found;
        }
        PyObject *value = PyLong_FromLongLong(code);
        if (value == NULL || PyList_Append(result, value) < 0) {
            Py_XDECREF(value);
            goto fail;
        }
        Py_DECREF(value);
    }
    goto done;
fail:
    Py_CLEAR(result);
done:
    PyBuffer_Release(&tb);
    PyBuffer_Release(&ob);
    PyBuffer_Release(&cb);
    return result;
}

/* ---- what the patterns an article contains point to ---------------------------------------
 *
 * gather(offsets: bytes, table: bytes, present: set[int], size: int, as_list: bool)
 *     -> bytearray | list[int]
 *
 * `offsets` (int32, one more than there are patterns) and `table` (int32) list, for pattern p,
 * the numbers table[offsets[p]:offsets[p + 1]], each below `size`: the rules filed under p
 * (the candidate index), or the one-word keyword terms that are p. For the patterns in
 * `present`, the numbers they list: as a bytearray of `size` bytes, 1 where a number is
 * listed, or as a sorted list of the distinct numbers. A pattern outside the table lists
 * nothing. Per article this replaces a Python loop over the few hundred patterns it contains.
 */

static int
compare_int32(const void *a, const void *b)
{
    const int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static PyObject *
gather(PyObject *module, PyObject *args)
{
    (void)module;
    Py_buffer ob, tb;
    PyObject *present;
    Py_ssize_t size;
    int as_list;
    if (!PyArg_ParseTuple(args, "y*y*Onp", &ob, &tb, &present, &size, &as_list)) {
        return NULL;
    }
    PyObject *result = NULL, *iterator = NULL, *item = NULL;
    int32_t *found = NULL;
    Py_ssize_t found_count = 0, found_room = 0;
    const int32_t *offsets = (const int32_t *)ob.buf;
    const Py_ssize_t patterns = ob.len / (Py_ssize_t)sizeof(int32_t) - 1;
    const int32_t *table = (const int32_t *)tb.buf;
    const Py_ssize_t table_len = tb.len / (Py_ssize_t)sizeof(int32_t);
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "gather: negative size");
        goto done;
    }
    PyObject *marks = PyByteArray_FromStringAndSize(NULL, size);
    if (marks == NULL) {
        goto done;
    }
    char *mark = PyByteArray_AS_STRING(marks);
    memset(mark, 0, (size_t)size);
    iterator = PyObject_GetIter(present);
    if (iterator == NULL) {
        Py_DECREF(marks);
        goto done;
    }
    while ((item = PyIter_Next(iterator)) != NULL) {
        const Py_ssize_t pattern = PyLong_AsSsize_t(item);
        Py_DECREF(item);
        if (pattern == -1 && PyErr_Occurred()) {
            Py_DECREF(marks);
            goto done;
        }
        if (pattern < 0 || pattern >= patterns) {
            continue;
        }
        const int32_t first = offsets[pattern], last = offsets[pattern + 1];
        if (first < 0 || last < first || last > table_len) {
            PyErr_SetString(PyExc_ValueError, "gather: malformed table");
            Py_DECREF(marks);
            goto done;
        }
        for (int32_t k = first; k < last; k++) {
            const int32_t number = table[k];
            if (number < 0 || number >= size || mark[number]) {
                continue;
            }
            mark[number] = 1;
            if (as_list) {
                if (found_count == found_room) {
                    const Py_ssize_t room = found_room ? found_room * 2 : 256;
                    int32_t *grown = PyMem_Realloc(found, sizeof(int32_t) * (size_t)room);
                    if (grown == NULL) {
                        PyErr_NoMemory();
                        Py_DECREF(marks);
                        goto done;
                    }
                    found = grown;
                    found_room = room;
                }
                found[found_count++] = number;
            }
        }
    }
    if (PyErr_Occurred()) {
        Py_DECREF(marks);
        goto done;
    }
    if (!as_list) {
        result = marks;
        goto done;
    }
    Py_DECREF(marks);
    if (found_count > 1) {
        qsort(found, (size_t)found_count, sizeof(int32_t), compare_int32);
    }
    result = PyList_New(found_count);
    if (result == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < found_count; i++) {
        PyObject *value = PyLong_FromLong(found[i]);
        if (value == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, value);
    }
done:
    Py_XDECREF(iterator);
    PyMem_Free(found);
    PyBuffer_Release(&ob);
    PyBuffer_Release(&tb);
    return result;
}

static PyMethodDef methods[] = {
    {"tokenize_ascii", tokenize_ascii, METH_O,
     "(text, table): the words of an ASCII str, joined and lowered, and their offsets."},
    {"build_trie", build_trie, METH_VARARGS,
     "build_trie(keys, values) -> bytes: a trie of sorted, distinct str keys."},
    {"trie_hits", trie_hits, METH_VARARGS,
     "trie_hits(trie, text) -> {value: [token, ...]}: the keys occurring in text, by word."},
    {"index_insert", index_insert, METH_VARARGS,
     "index_insert(keys_table, stories_table, keys, owners, cap): file cells in the index."},
    {"index_candidates", index_candidates, METH_VARARGS,
     "index_candidates(keys_table, stories_table, keys, oldest, need) -> [story, ...]."},
    {"gather", gather, METH_VARARGS,
     "gather(offsets, table, present, size, as_list) -> bytearray | [number, ...]."},
    {"rule_matches", rule_matches, METH_VARARGS,
     "rule_matches(table, offsets, candidates, occurring) -> [code, ...]: keyword rules."},
    {"sketch_similarity", sketch_similarity, METH_VARARGS,
     "sketch_similarity(a, b) -> float: estimated Jaccard similarity of two sketches."},
    {"sketch", sketch, METH_O,
     "sketch(text) -> (sketch, keys): a story's near-duplicate fingerprint and index keys."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "_speedups",
    "Compiled inner loops of the matcher; monitor.matching.speedups has the Python versions.",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModule_Create(&module_definition);
}
