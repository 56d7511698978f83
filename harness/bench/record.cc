// record.cc - the run model (harness/report/run_record.h) filled from what the benchmarks measured:
// one record per (case, implementation), timed or skipped, and the machine and build.
#include "record.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <math.h> /* before sleef.h, whose FP_FAST_FMA would otherwise clash with glibc's */
#include <mpfr.h>
#include <sleef.h>
#undef mpfr_version /* mpfr.h's macro; run_record has a field of that name */
#include <unistd.h>

#include "attention.h"
#include "run_folder.h"
#include "build_info.h"
#include "strf.h"
#include "thread_split.h"

extern "C" {
#include "machine.h"
#include "model_settings.h"
}

namespace posenc_bench {

void copy(char *dst, size_t size, const std::string &s) { snprintf(dst, size, "%s", s.c_str()); }

namespace {

// Speed fields of a case from the collector; NaN where they do not apply.
void fill_speed(run_case *rc, const Collector &col, const Case &c, const KernelBench &kb,
                const Registered &reg)
{
    const std::vector<double> *s = col.samples(kb.name);
    const double nan = NAN;
    rc->median_ns = rc->min_ns = rc->mean_ns = rc->stddev_ns = nan;
    rc->ns_per_element = rc->elements_per_second = rc->bytes_per_second = nan;
    rc->mempass_median_ns = rc->ratio_to_mempass = rc->speedup_over_scalar = nan;
    rc->wall_median_ns = rc->mempass_wall_median_ns = nan;
    auto err = col.errors.find(kb.name);
    if (err != col.errors.end()) {
        rc->status = RUN_STATUS_ERROR;
        copy(rc->reason, sizeof rc->reason, err->second);
        return;
    }
    if (!s) {
        rc->status = RUN_STATUS_SKIPPED;
        copy(rc->reason, sizeof rc->reason, "not selected by the benchmark filter");
        return;
    }
    rc->status = RUN_STATUS_OK;
    rc->repetitions = (int)std::min(s->size(), sizeof rc->times_ns / sizeof rc->times_ns[0]);
    double sum = 0, mn = INFINITY;
    for (int i = 0; i < rc->repetitions; i++) {
        rc->times_ns[i] = (*s)[i];
        sum += (*s)[i];
        mn = std::min(mn, (*s)[i]);
    }
    rc->mean_ns = sum / rc->repetitions;
    double var = 0;
    for (int i = 0; i < rc->repetitions; i++)
        var += (rc->times_ns[i] - rc->mean_ns) * (rc->times_ns[i] - rc->mean_ns);
    rc->stddev_ns = rc->repetitions > 1 ? std::sqrt(var / (rc->repetitions - 1)) : 0.0;
    rc->min_ns = mn;
    rc->median_ns = col.median_ns(kb.name);
    rc->ns_per_element = rc->median_ns / (double)c.elements();
    rc->elements_per_second = (double)c.elements() / rc->median_ns * 1e9;
    rc->bytes_per_second = (double)c.traffic_bytes() / rc->median_ns * 1e9;
    const Reference ref = case_reference(col, c, kb.threads);
    const std::string &ref_id = ref.name;
    copy(rc->mempass_id, sizeof rc->mempass_id, ref_id);
    if (ref.median_ns > 0) {
        rc->mempass_median_ns = ref.median_ns;
        rc->ratio_to_mempass = rc->median_ns / ref.median_ns;
    }
    const double wall = col.median_wall_ns(kb.name), ref_wall = col.median_wall_ns(ref_id);
    if (wall > 0)
        rc->wall_median_ns = wall;
    if (ref_wall > 0)
        rc->mempass_wall_median_ns = ref_wall;
    rc->table_bytes = plan_table_bytes(&c, kb.impl);
    auto a = reg.attention.find(&c);
    if (a != reg.attention.end() && kb.threads == 1) {  // Q.K^T runs on one thread
        const double g = col.median_ns(a->second);
        if (g > 0) {
            rc->sgemm_median_ns = g;
            rc->score_median_ns = g * (double)(c.kv_heads ? c.kv_heads : 1);
            rc->encoding_fraction = rc->median_ns / rc->score_median_ns;
        }
    }
}

void fill_variant(run_variant *v, const Case &c)
{
    v->factor = v->attention_factor = v->alibi_bias_max = NAN;
    copy(v->name, sizeof v->name, c.variant());
    copy(v->model_key, sizeof v->model_key, c.model_key);
    if (c.params.kind == POSENC_ALIBI) {
        const posenc_alibi &a = c.params.alibi;
        copy(v->alibi_form, sizeof v->alibi_form,
             a.form == POSENC_ALIBI_CAUSAL ? "causal"
             : a.form == POSENC_ALIBI_FULL ? "full" : "key-only");
        v->alibi_bias_max = a.bias_max > 0 ? a.bias_max : 8.0;
        return;
    }
    if (c.params.kind != POSENC_ROTARY)
        return;
    const posenc_scaling &sc = c.params.scaling;
    copy(v->scaling, sizeof v->scaling, model_scaling_name(sc.type));
    v->attention_factor = c.attention_factor();
    if (sc.type != POSENC_SCALING_NONE)
        v->factor = sc.factor;
    const bool uses_l0 = sc.type == POSENC_SCALING_DYNAMIC || sc.type == POSENC_SCALING_YARN ||
                         sc.type == POSENC_SCALING_LLAMA3 || sc.type == POSENC_SCALING_LONGROPE;
    if (uses_l0)
        v->original_max_positions = sc.original_max_positions;
    if (sc.type == POSENC_SCALING_DYNAMIC || sc.type == POSENC_SCALING_LONGROPE)
        v->seq_len = sc.seq_len ? sc.seq_len : sc.original_max_positions;
    if (sc.type == POSENC_SCALING_LONGROPE)
        copy(v->longrope_factors, sizeof v->longrope_factors,
             v->seq_len > sc.original_max_positions ? "long" : "short");
    if (c.params.mrope.layout != POSENC_MROPE_NONE) {
        copy(v->mrope, sizeof v->mrope,
             c.params.mrope.layout == POSENC_MROPE_SECTIONS ? "sections" : "interleaved");
        for (int a = 0; a < 3; a++)
            v->mrope_section[a] = c.params.mrope.section[a];
    }
}

void fill_shape(run_case *rc, const Case &c, const posenc_impl *impl, const std::string &id,
                int threads)
{
    copy(rc->id, sizeof rc->id, id);
    copy(rc->group, sizeof rc->group, c.group() + threads_suffix(threads));
    rc->threads = threads;
    rc->encoding = run_encoding_of(c.params.kind);
    rc->op = c.op == Op::kApply    ? RUN_OP_APPLY
             : c.op == Op::kEncode ? RUN_OP_ENCODE
             : c.op == Op::kScores ? RUN_OP_SCORES
                                   : RUN_OP_PLAN;
    rc->dtype = run_dtype_of(c.params.dtype);
    copy(rc->model, sizeof rc->model, c.model);
    copy(rc->shape, sizeof rc->shape, c.shape);
    copy(rc->implementation, sizeof rc->implementation, impl->name);
    rc->tokens = (int64_t)c.n_tokens;
    rc->heads = (int64_t)c.n_heads;
    rc->kv_heads = (int64_t)c.kv_heads;
    // alibi: the size of the attention heads whose scores it biases (the Q.K^T beside it)
    rc->head_dim = c.params.kind == POSENC_ALIBI ? c.qk_dim : c.params.dim;
    rc->keys = c.op == Op::kScores ? (int64_t)c.n_keys : 0;
    rc->axes = (int64_t)c.axes();
    fill_variant(&rc->variant, c);
    rc->rotary_dim = c.params.kind == POSENC_ROTARY
                         ? (c.params.rotary_dim ? c.params.rotary_dim : c.params.dim)
                         : 0;
    rc->first_position = *std::min_element(c.pos.begin(), c.pos.end());
    rc->last_position = c.max_position();
    copy(rc->pairing, sizeof rc->pairing,
         c.params.kind == POSENC_LEARNED || c.params.kind == POSENC_ALIBI
             ? "none"
             : c.params.pairing == POSENC_PAIR_INTERLEAVED
                   ? "interleaved"
                   : c.params.pairing == POSENC_PAIR_HALF ? "half" : "default");
    rc->base = c.params.kind == POSENC_LEARNED || c.params.kind == POSENC_ALIBI ? NAN
                                                                                : c.params.base;
    rc->elements = c.elements();
    rc->bytes = c.traffic_bytes();
    rc->sgemm_median_ns = rc->score_median_ns = rc->encoding_fraction = NAN;
    rc->median_ns = rc->min_ns = rc->mean_ns = rc->stddev_ns = NAN;
    rc->ns_per_element = rc->elements_per_second = rc->bytes_per_second = NAN;
    rc->mempass_median_ns = rc->ratio_to_mempass = rc->speedup_over_scalar = NAN;
    rc->wall_median_ns = rc->mempass_wall_median_ns = NAN;
}

}  // namespace

void fill_machine(run_record *r, const Collector &col)
{
    char buf[256];
    machine_cpu_model(buf, sizeof buf);
    copy(r->cpu_model, sizeof r->cpu_model, buf);
    copy(r->arch, sizeof r->arch, POSENC_TARGET_ARCH);
    r->emulated = machine_is_emulated();
    machine_cpu_id id;
    machine_cpu_identify(&id);
    copy(r->cpu_vendor, sizeof r->cpu_vendor, id.vendor);
    r->cpu_family = id.family;
    r->cpu_model_number = id.model;
    r->cpu_stepping = id.stepping;
    r->cpu_implementer = id.implementer;
    r->cpu_variant = id.variant;
    r->cpu_part = id.part;
    r->cpu_revision = id.revision;
    machine_kind(POSENC_TARGET_ARCH, &id, posenc_cpu_features_detected(), r->emulated, buf,
                 sizeof buf);
    copy(r->kind, sizeof r->kind, buf);
    r->cores = col.num_cpus > 0 ? col.num_cpus : (int)sysconf(_SC_NPROCESSORS_ONLN);
    r->mhz = col.mhz > 0 ? col.mhz : NAN;
    copy(r->governor, sizeof r->governor,
         read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
    machine_feature_list(posenc_cpu_features(), buf, sizeof buf);
    copy(r->cpu_features, sizeof r->cpu_features, buf);
    machine_feature_list(posenc_cpu_features_detected(), buf, sizeof buf);
    copy(r->cpu_features_detected, sizeof r->cpu_features_detected, buf);
    r->n_caches = 0;
    for (const auto &c : col.caches) {
        if (r->n_caches == (int)(sizeof r->caches / sizeof r->caches[0]))
            break;
        run_cache *rc = &r->caches[r->n_caches++];
        rc->level = c.level;
        copy(rc->type, sizeof rc->type, c.type);
        rc->size_bytes = (uint64_t)c.size;
        rc->shared_by = c.num_sharing;
    }
    for (int i = 0; i < 3; i++)
        r->load_avg[i] = i < (int)col.load_avg.size() ? col.load_avg[i] : NAN;
    copy(r->posenc_version, sizeof r->posenc_version,
         strf("%d.%d.%d", POSENC_VERSION_MAJOR, POSENC_VERSION_MINOR, POSENC_VERSION_PATCH));
    copy(r->compiler, sizeof r->compiler, POSENC_COMPILER);
    copy(r->flags, sizeof r->flags, POSENC_C_FLAGS);
    copy(r->benchmark_version, sizeof r->benchmark_version, POSENC_BENCHMARK_VERSION);
    copy(r->sleef_version, sizeof r->sleef_version,
         strf("%d.%d.%d", SLEEF_VERSION_MAJOR, SLEEF_VERSION_MINOR, SLEEF_VERSION_PATCHLEVEL));
    copy(r->openblas_version, sizeof r->openblas_version, openblas_version());
    copy(r->mpfr_version, sizeof r->mpfr_version, mpfr_get_version());
}

// Cases in registration order: each case's implementations (timed or skipped) in registry order.
std::vector<run_case> collect_cases(const Collector &col, const Registered &reg)
{
    std::vector<run_case> out;
    for (int n : reg.threads)
        for (Case &c : cases()) {
            if (!c.selected)
                continue;
            for (size_t i = 0; i < posenc_impl_count(); i++) {
                const posenc_impl *impl = posenc_impl_at(i);
                run_case rc;
                memset(&rc, 0, sizeof rc);
                bool seen = false;
                for (const KernelBench &kb : reg.kernels)
                    if (kb.c == &c && kb.impl == impl && !kb.dispatched && kb.threads == n) {
                        fill_shape(&rc, c, impl, kb.name, n);
                        fill_speed(&rc, col, c, kb, reg);
                        seen = true;
                    }
                for (const Skip &s : reg.skipped)
                    if (!seen && s.c == &c && s.impl == impl && s.threads == n) {
                        fill_shape(&rc, c, impl, kernel_name(c, impl->name, n), n);
                        rc.status = RUN_STATUS_SKIPPED;
                        copy(rc.reason, sizeof rc.reason, s.reason);
                        seen = true;
                    }
                if (seen)
                    out.push_back(rc);
            }
            for (const KernelBench &kb : reg.kernels)
                if (kb.c == &c && kb.dispatched && kb.threads == n) {
                    run_case rc;
                    memset(&rc, 0, sizeof rc);
                    fill_shape(&rc, c, kb.impl, kb.name, n);
                    fill_speed(&rc, col, c, kb, reg);
                    rc.dispatched = 1;
                    out.push_back(rc);
                }
        }
    // Speedup over the scalar implementation of the same encoding on the same shape.
    for (run_case &rc : out) {
        if (rc.status != RUN_STATUS_OK)
            continue;
        for (const run_case &s : out)
            if (!strcmp(s.group, rc.group) && s.status == RUN_STATUS_OK &&
                !strcmp(strchr(s.implementation, '/'), "/scalar"))
                rc.speedup_over_scalar = s.median_ns / rc.median_ns;
    }
    return out;
}

}  // namespace posenc_bench
