// display_reporter.cc - Google Benchmark's display reporter with its debug-build warning
// explained (display_reporter.h).
#include "display_reporter.h"

#include <iostream>
#include <sstream>
#include <string>

namespace posenc_bench {

namespace {

// The lines that replace the warning.
const char kDebugBuildNote[] =
    "note: Google Benchmark calls itself a DEBUG build because Debian builds it without NDEBUG;\n"
    "      only its internal checks, once per batch of iterations, are affected: the timed loop\n"
    "      is compiled into posenc with the library_flags above.\n";

const char kDebugWarning[] = "***WARNING*** Library was built as DEBUG. Timings may be affected.";

// Every call goes to Google Benchmark's own reporter; the context block passes through a buffer
// on its way to the error stream, where the warning line is swapped for the note.
class DisplayReporter : public benchmark::BenchmarkReporter {
public:
    explicit DisplayReporter(benchmark::BenchmarkReporter *inner) : inner_(inner) {}

    bool ReportContext(const Context &context) override
    {
        std::ostringstream buf;
        std::ostream &err = GetErrorStream();
        inner_->SetOutputStream(&GetOutputStream());
        inner_->SetErrorStream(&buf);
        const bool ok = inner_->ReportContext(context);
        inner_->SetErrorStream(&err);
        std::string text = buf.str();
        const size_t at = text.find(kDebugWarning);
        if (at != std::string::npos) {
            size_t end = at + sizeof kDebugWarning - 1;
            if (end < text.size() && text[end] == '\n')
                end++;
            text.replace(at, end - at, kDebugBuildNote);
        }
        err << text;
        err.flush();
        return ok;
    }
    void ReportRuns(const std::vector<Run> &runs) override { inner_->ReportRuns(runs); }
    void Finalize() override { inner_->Finalize(); }

private:
    std::unique_ptr<benchmark::BenchmarkReporter> inner_;
};

}  // namespace

std::unique_ptr<benchmark::BenchmarkReporter> make_display_reporter()
{
    return std::unique_ptr<benchmark::BenchmarkReporter>(
        new DisplayReporter(benchmark::CreateDefaultDisplayReporter()));
}

}  // namespace posenc_bench
