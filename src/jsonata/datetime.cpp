// $now, $millis, $fromMillis and $toMillis with XPath date/time picture strings (UTC calendar arithmetic).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_functions.hpp"
#include "jsonata/detail_picture.hpp"
#include "jsonata/detail_regex.hpp"
#include "jsonata/detail_text.hpp"

namespace sfn::jsonata::detail {
namespace {

using Args = std::vector<Value>;
constexpr double kDay = 86400000.0;
// JavaScript's Date covers ±8.64e15 ms (±100,000,000 days) around the epoch; outside it Date.UTC answers
// NaN and a Date is invalid. Times are checked against it before any conversion to an integer type.
constexpr double kMaxTime = 8.64e15;
bool in_date_range(double t) { return std::fabs(t) <= kMaxTime; }  // false for NaN
const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};
const char* kDays[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// Civil-from-days and days-from-civil (proleptic Gregorian, UTC).
double days_from_civil(long long y, long long m, long long d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<double>(era * 146097 + doe - 719468);
}

// Date.UTC with month 0-based and overflow normalisation; NaN outside Date's range, as Date.UTC.
double utc(double year, double month, double day = 1, double h = 0, double mi = 0, double s = 0, double ms = 0) {
    double y = year + std::floor(month / 12);
    double m = std::fmod(month, 12);
    if (m < 0) m += 12;
    // a million years is far outside the range already; the bound keeps the integer arithmetic defined
    if (!(std::fabs(y) <= 1e6) || !std::isfinite(m)) return std::nan("");
    double days = days_from_civil(static_cast<long long>(y), static_cast<long long>(m) + 1, 1) + day - 1;
    double t = days * kDay + h * 3600000.0 + mi * 60000.0 + s * 1000.0 + ms;
    return in_date_range(t) ? t : std::nan("");
}

struct Civil {
    int year, month, day, hour, minute, second, millis, weekday;  // month 0-based, weekday 0=Sunday
    double time;
};

/// \throws Error D1001 when `t` is outside Date's range (no calendar date to give)
Civil civil(double t) {
    if (!in_date_range(t)) fail("D1001", 0, {}, js_number_to_string(t));
    Civil c{};
    c.time = t;
    double days = std::floor(t / kDay);
    double ms_in_day = t - days * kDay;
    auto z = static_cast<long long>(days) + 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const long long d = doy - (153 * mp + 2) / 5 + 1;
    const long long m = mp + (mp < 10 ? 3 : -9);
    c.year = static_cast<int>(yoe + era * 400 + (m <= 2));
    c.month = static_cast<int>(m - 1);
    c.day = static_cast<int>(d);
    auto msd = static_cast<long long>(ms_in_day);
    c.hour = static_cast<int>(msd / 3600000);
    c.minute = static_cast<int>(msd / 60000 % 60);
    c.second = static_cast<int>(msd / 1000 % 60);
    c.millis = static_cast<int>(msd % 1000);
    long long wd = (static_cast<long long>(days) + 4) % 7;
    c.weekday = static_cast<int>(wd < 0 ? wd + 7 : wd);
    return c;
}

double start_of_first_week(int year, int month) {
    double first = utc(year, month);
    int dow = civil(first).weekday;
    if (dow == 0) dow = 7;
    return dow > 4 ? first + (8 - dow) * kDay : first - (dow - 1) * kDay;
}

double delta_weeks(double start, double end) { return (end - start) / (kDay * 7) + 1; }

struct YM {
    int year, month;
    [[nodiscard]] YM next() const { return month == 11 ? YM{year + 1, 0} : YM{year, month + 1}; }
    [[nodiscard]] YM prev() const { return month == 0 ? YM{year - 1, 11} : YM{year, month - 1}; }
};

// A component's value, numeric or (for P) text.
struct Fragment {
    double number = 0;
    std::string text;
};

Fragment fragment(const Civil& c, char component) {
    Fragment f;
    switch (component) {
    case 'Y': f.number = c.year; break;
    case 'M': f.number = c.month + 1; break;
    case 'D': f.number = c.day; break;
    case 'd': f.number = (utc(c.year, c.month, c.day) - utc(c.year, 0)) / kDay + 1; break;
    case 'F': f.number = c.weekday == 0 ? 7 : c.weekday; break;
    case 'W': {
        double start = start_of_first_week(c.year, 0);
        double today = utc(c.year, c.month, c.day);
        double week = delta_weeks(start, today);
        if (week > 52) {
            if (today >= start_of_first_week(c.year + 1, 0)) week = 1;
        } else if (week < 1) {
            week = delta_weeks(start_of_first_week(c.year - 1, 0), today);
        }
        f.number = std::floor(week);
        break;
    }
    case 'X': {
        double start = start_of_first_week(c.year, 0);
        double end = start_of_first_week(c.year + 1, 0);
        f.number = c.time < start ? c.year - 1 : c.time >= end ? c.year + 1 : c.year;
        break;
    }
    case 'w': {
        YM ym{c.year, c.month};
        double start = start_of_first_week(ym.year, ym.month);
        double today = utc(c.year, c.month, c.day);
        double week = delta_weeks(start, today);
        if (week > 4) {
            YM n = ym.next();
            if (today >= start_of_first_week(n.year, n.month)) week = 1;
        } else if (week < 1) {
            YM p = ym.prev();
            week = delta_weeks(start_of_first_week(p.year, p.month), today);
        }
        f.number = std::floor(week);
        break;
    }
    case 'x': {
        YM ym{c.year, c.month};
        double start = start_of_first_week(ym.year, ym.month);
        YM n = ym.next();
        double following = start_of_first_week(n.year, n.month);
        if (c.time < start) f.number = ym.prev().month + 1;
        else if (c.time >= following) f.number = n.month + 1;
        else f.number = ym.month + 1;
        break;
    }
    case 'H': f.number = c.hour; break;
    case 'h': f.number = c.hour % 12 == 0 ? 12 : c.hour % 12; break;
    case 'P': f.text = c.hour >= 12 ? "pm" : "am"; break;
    case 'm': f.number = c.minute; break;
    case 's': f.number = c.second; break;
    case 'f': f.number = c.millis; break;
    case 'C':
    case 'E': f.text = "ISO"; break;
    default: break;
    }
    return f;
}

struct Marker {
    bool literal = false;
    std::string text;  // literal text
    char component = 0;
    std::string presentation1, presentation2;
    std::optional<int> min_width, max_width;
    int names = 0;  // 0 none, 1 lower, 2 upper, 3 title
    bool has_integer = false;
    IntegerFormat integer;
    int n = -1;
};

std::string default_presentation(char c) {
    switch (c) {
    case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X': case 'x': case 'H': case 'h': case 'f': return "1";
    case 'F': case 'P': case 'C': case 'E': return "n";
    case 'm': case 's': return "01";
    case 'Z': case 'z': return "01:01";
    default: return "";
    }
}

std::vector<Marker> analyse_picture(const std::string& picture) {
    std::vector<Marker> spec;
    auto add_literal = [&](std::size_t start, std::size_t end) {
        if (end <= start) return;
        std::string lit = picture.substr(start, end - start);
        for (auto p = lit.find("]]"); p != std::string::npos; p = lit.find("]]", p + 1)) lit.erase(p, 1);
        Marker m;
        m.literal = true;
        m.text = lit;
        spec.push_back(m);
    };
    std::size_t start = 0, pos = 0;
    while (pos < picture.size()) {
        if (picture[pos] == '[') {
            if (pos + 1 < picture.size() && picture[pos + 1] == '[') {
                add_literal(start, pos);
                Marker m;
                m.literal = true;
                m.text = "[";
                spec.push_back(m);
                pos += 2;
                start = pos;
                continue;
            }
            add_literal(start, pos);
            start = pos;
            pos = picture.find(']', start);
            if (pos == std::string::npos) fail("D3135", 0, "fromMillis");
            std::string raw = picture.substr(start + 1, pos - start - 1);
            std::string marker;
            for (char c : raw)
                if (!std::isspace(static_cast<unsigned char>(c))) marker += c;
            Marker m;
            m.component = marker.empty() ? '\0' : marker[0];
            auto comma = marker.rfind(',');
            std::string pres;
            if (comma != std::string::npos) {
                std::string width = marker.substr(comma + 1);
                auto dash = width.find('-');
                auto parse_width = [](const std::string& w) -> std::optional<int> {
                    if (w.empty() || w == "*") return std::nullopt;
                    // widths are small in practice; a huge one would only pad to exhaustion (the reference
                    // fails with a RangeError), so past a million it is D1001
                    long n = std::strtol(w.c_str(), nullptr, 10);
                    if (n > 1000000) fail("D1001", 0, {}, w);
                    return static_cast<int>(n < 0 ? 0 : n);
                };
                if (dash == std::string::npos) {
                    m.min_width = parse_width(width);
                } else {
                    m.min_width = parse_width(width.substr(0, dash));
                    m.max_width = parse_width(width.substr(dash + 1));
                }
                pres = marker.substr(1, comma - 1);
            } else {
                pres = marker.size() > 1 ? marker.substr(1) : "";
            }
            if (pres.size() == 1) {
                m.presentation1 = pres;
            } else if (pres.size() > 1) {
                char last = pres.back();
                if (std::string("atco").find(last) != std::string::npos) {
                    m.presentation2 = std::string(1, last);
                    m.presentation1 = pres.substr(0, pres.size() - 1);
                } else {
                    m.presentation1 = pres;
                }
            } else {
                m.presentation1 = default_presentation(m.component);
            }
            if (m.presentation1.empty()) fail("D3132", 0, "fromMillis", std::string(1, m.component));
            if (m.presentation1[0] == 'n') m.names = 1;
            else if (m.presentation1[0] == 'N') m.names = (m.presentation1.size() > 1 && m.presentation1[1] == 'n') ? 3 : 2;
            else if (std::string("YMDdFWwXxHhmsf").find(m.component) != std::string::npos) {
                std::string pattern = m.presentation1;
                if (!m.presentation2.empty()) pattern += ";" + m.presentation2;
                m.integer = analyse_integer_picture(pattern);
                m.has_integer = true;
                if (m.min_width && m.integer.mandatory_digits < *m.min_width) m.integer.mandatory_digits = *m.min_width;
                if (m.component == 'Y') {
                    m.n = -1;
                    if (m.max_width) {
                        m.n = *m.max_width;
                        m.integer.mandatory_digits = m.n;
                    } else {
                        int w = m.integer.mandatory_digits + m.integer.optional_digits;
                        if (w >= 2) m.n = w;
                    }
                }
            }
            if (m.component == 'Z' || m.component == 'z') {
                m.integer = analyse_integer_picture(m.presentation1);
                m.has_integer = true;
            }
            spec.push_back(m);
            start = pos + 1;
        }
        ++pos;
    }
    add_literal(start, pos);
    return spec;
}

std::string apply_case(std::string s, int names) {
    for (auto& ch : s) {
        if (names == 2) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        else if (names == 1) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    return s;
}

std::string format_component(const Civil& c, const Marker& m, int offset_hours, int offset_minutes) {
    const char comp = m.component;
    if (std::string("YMDdFWwXxHhms").find(comp) != std::string::npos) {
        double v = fragment(c, comp).number;
        if (comp == 'Y' && m.n != -1) v = std::fmod(v, std::pow(10, m.n));
        if (m.names) {
            std::string name;
            if (comp == 'M' || comp == 'x') name = kMonths[static_cast<int>(v) - 1];
            else if (comp == 'F') name = kDays[static_cast<int>(v)];
            else fail("D3133", 0, "fromMillis", std::string(1, comp));
            name = apply_case(name, m.names);
            if (m.max_width && static_cast<int>(name.size()) > *m.max_width) name = name.substr(0, static_cast<std::size_t>(*m.max_width));
            return name;
        }
        return format_integer_with(v, m.integer);
    }
    if (comp == 'f') return format_integer_with(fragment(c, comp).number, m.integer);
    if (comp == 'Z' || comp == 'z') {
        const int offset = offset_hours * 100 + offset_minutes;
        std::string s;
        if (m.integer.regular) {
            s = format_integer_with(offset, m.integer);
        } else {
            int digits = m.integer.mandatory_digits;
            if (digits == 1 || digits == 2) {
                s = format_integer_with(offset_hours, m.integer);
                if (offset_minutes != 0) s += ":" + format_integer(offset_minutes, "00");
            } else if (digits == 3 || digits == 4) {
                s = format_integer_with(offset, m.integer);
            } else {
                fail("D3134", 0, "fromMillis", std::to_string(digits));
            }
        }
        if (offset >= 0) s = "+" + s;
        if (comp == 'z') s = "GMT" + s;
        if (offset == 0 && m.presentation2 == "t") s = "Z";
        return s;
    }
    if (comp == 'P') {
        std::string s = fragment(c, comp).text;
        return m.names == 2 ? apply_case(s, 2) : s;
    }
    if (comp == 'C' || comp == 'E') return fragment(c, comp).text;
    fail("D3132", 0, "fromMillis", std::string(1, comp));
}

std::string format_datetime(double millis, const std::optional<std::string>& picture, const std::optional<std::string>& tz) {
    int oh = 0, om = 0;
    if (tz) {
        // parsed as the reference's parseInt; beyond ±1,000,000 (10,000 hours) no date is left in range anyway
        long offset = std::strtol(tz->c_str(), nullptr, 10);
        offset = std::clamp(offset, -1000000L, 1000000L);
        oh = static_cast<int>(std::floor(static_cast<double>(offset) / 100.0));
        om = static_cast<int>(offset % 100);
    }
    static const std::vector<Marker> iso = analyse_picture("[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]");
    std::vector<Marker> spec = picture ? analyse_picture(*picture) : iso;
    Civil c = civil(millis + (60.0 * oh + om) * 60000.0);
    std::string out;
    for (const auto& m : spec) out += m.literal ? m.text : format_component(c, m, oh, om);
    return out;
}

std::string regex_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (std::string(".*+?^${}()|[]\\/").find(c) != std::string::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string integer_regex(const IntegerFormat& f) {
    switch (f.primary) {
    case IntegerFormat::Primary::Letters: return f.letter_case == IntegerFormat::Case::Upper ? "[A-Z]+" : "[a-z]+";
    case IntegerFormat::Primary::Roman: return f.letter_case == IntegerFormat::Case::Upper ? "[MDCLXVI]+" : "[mdclxvi]+";
    case IntegerFormat::Primary::Words: return "(?:[a-zA-Z]+|[\\-, ])+?";
    case IntegerFormat::Primary::Decimal: {
        std::string r = f.mandatory_digits > 1 ? "[0-9]{" + std::to_string(f.mandatory_digits) + "}" : "[0-9]+";
        if (f.ordinal) r += "(?:th|st|nd|rd)";
        return r;
    }
    default: fail("D3130", 0, "toMillis", f.token);
    }
}

std::optional<double> parse_datetime(Evaluator& ev, const std::string& text, const std::string& picture) {
    std::vector<Marker> spec = analyse_picture(picture);
    std::string regex = "^";
    std::vector<const Marker*> groups;
    for (const auto& m : spec) {
        if (m.literal) {
            regex += regex_escape(m.text);
            continue;
        }
        std::string r;
        if (m.component == 'Z' || m.component == 'z') {
            r = m.component == 'z' ? "GMT" : "";
            r += "[-+][0-9]+";
            if (m.integer.regular) r += regex_escape(from_u32(m.integer.separators[0].character)) + "[0-9]+";
        } else if (m.has_integer) {
            r = integer_regex(m.integer);
        } else {
            if (m.component != 'M' && m.component != 'x' && m.component != 'F' && m.component != 'P')
                fail("D3133", ev.position, "toMillis", std::string(1, m.component));
            r = "[a-zA-Z]+";
        }
        regex += "(" + r + ")";
        groups.push_back(&m);
    }
    regex += "$";
    // pictures repeat, and compiling (with JIT) costs far more than matching: keep them per thread
    static thread_local std::map<std::string, std::shared_ptr<const Regex>> cache;
    if (cache.size() > 256 && !cache.count(regex)) cache.clear();
    auto& re = cache[regex];
    if (!re) re = compile_regex(regex, "i", 0);
    auto match = re->exec(text, 0);
    if (!match) return std::nullopt;
    std::map<char, double> comp;
    std::string ampm;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const Marker& m = *groups[i];
        std::string v = match->groups[i].value_or("");
        if (m.component == 'Z' || m.component == 'z') {
            if (m.component == 'z') v = v.substr(3);
            double hours = 0, minutes = 0;
            if (m.integer.regular) {
                std::string sep = from_u32(m.integer.separators[0].character);
                auto p = v.find(sep);
                hours = std::atof(v.substr(0, p).c_str());
                minutes = std::atof(v.substr(p + sep.size()).c_str());
            } else if (v.size() - 1 <= 2) {
                hours = std::atof(v.c_str());
            } else {
                hours = std::atof(v.substr(0, 3).c_str());
                minutes = std::atof(v.substr(3).c_str());
            }
            comp['Z'] = hours * 60 + minutes;
        } else if (m.component == 'f' && m.integer.primary == IntegerFormat::Primary::Decimal) {
            // fractional seconds: the digits are a decimal fraction of a second
            comp['f'] = std::trunc(std::atof(("0." + v).c_str()) * 1000);
        } else if (m.has_integer) {
            auto n = parse_integer_with(v, m.integer);
            if (n) comp[m.component] = *n;
        } else {
            auto lower = apply_case(v, 1);
            if (m.component == 'P') {
                if (lower == "am" || lower == "pm") comp['P'] = lower == "pm" ? 1 : 0;
            } else {
                const char** names = m.component == 'F' ? kDays + 1 : kMonths;
                int count = m.component == 'F' ? 7 : 12;
                for (int k = 0; k < count; ++k) {
                    std::string name = names[k];
                    if (m.max_width) name = name.substr(0, static_cast<std::size_t>(*m.max_width));
                    if (name == v) comp[m.component] = k + 1;
                }
            }
        }
    }
    if (comp.empty()) return std::nullopt;
    auto has = [&](char c) { return comp.count(c) > 0; };
    auto mask_of = [&](const char* parts) {
        int mask = 0;
        for (const char* p = parts; *p; ++p) mask = (mask << 1) | (has(*p) ? 1 : 0);
        return mask;
    };
    auto is_type = [](int type, int mask) { return (~type & mask) == 0 && (type & mask) != 0; };
    int dmask = mask_of("YXMxWwdD");
    bool dateA = is_type(161, dmask);
    bool dateB = !dateA && is_type(130, dmask);
    bool dateC = is_type(84, dmask);
    bool dateD = !dateC && is_type(72, dmask);
    int tmask = mask_of("PHhmsf");
    bool timeA = is_type(23, tmask);
    bool timeB = !timeA && is_type(47, tmask);
    std::string comps = std::string(dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD") + (timeB ? "Phmsf" : "Hmsf");
    Civil now = civil(ev.now_millis());
    bool start_specified = false, end_specified = false;
    for (char part : comps) {
        if (!has(part)) {
            if (start_specified) {
                comp[part] = std::string("MDd").find(part) != std::string::npos ? 1 : 0;
                end_specified = true;
            } else {
                comp[part] = part == 'P' ? (now.hour >= 12 ? 1 : 0) : fragment(now, part).number;
            }
        } else {
            start_specified = true;
            if (end_specified) fail("D3136", ev.position, "toMillis");
        }
    }
    comp['M'] = comp['M'] > 0 ? comp['M'] - 1 : 0;
    // A text naming a date outside Date's range (a year of 10^23, a day of year past it, a number in words
    // that is no number) names no date: undefined, as text that does not match the picture. (The reference
    // answers NaN, which is not a JSON value.)
    if (dateB) {
        const double day_of_year = utc(comp['Y'], 0) + (comp['d'] - 1) * kDay;
        if (!in_date_range(day_of_year)) return std::nullopt;
        Civil derived = civil(day_of_year);
        comp['M'] = derived.month;
        comp['D'] = derived.day;
    }
    if (dateC || dateD) fail("D3136", ev.position, "toMillis");
    if (timeB) {
        comp['H'] = comp['h'] == 12 ? 0 : comp['h'];
        if (comp['P'] == 1) comp['H'] += 12;
    }
    double millis = utc(comp['Y'], comp['M'], comp['D'], comp['H'], comp['m'], comp['s'], comp['f']);
    if (has('Z')) millis -= comp['Z'] * 60000.0;
    if (!in_date_range(millis)) return std::nullopt;
    return millis;
}

// ISO 8601 as the reference accepts it (its regex), parsed as Date.parse would.
std::optional<double> parse_iso(const std::string& s) {
    static const auto re = compile_regex(
        "^(\\d{4})(?:-([01]\\d))?(?:-([0-3]\\d))?(?:T([0-2]\\d):([0-5]\\d):([0-5]\\d))?(\\.\\d+)?([+-][0-2]\\d:?[0-5]\\d|Z)?$", "", 0);
    auto m = re->exec(s, 0);
    if (!m) return std::nullopt;
    auto num = [&](std::size_t i, double dflt) { return m->groups[i] ? std::atof(m->groups[i]->c_str()) : dflt; };
    double ms = 0;
    if (m->groups[6]) ms = std::round(std::atof(("0" + *m->groups[6]).c_str()) * 1000);
    double t = utc(num(0, 0), num(1, 1) - 1, num(2, 1), num(3, 0), num(4, 0), num(5, 0), ms);
    if (m->groups[7] && *m->groups[7] != "Z") {
        std::string z = *m->groups[7];
        double sign = z[0] == '-' ? -1 : 1;
        std::string digits;
        for (char c : z)
            if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
        double minutes = std::atof(digits.substr(0, 2).c_str()) * 60 + std::atof(digits.substr(2).c_str());
        t -= sign * minutes * 60000.0;
    }
    return t;
}

std::optional<std::string> opt_string(const Value& v) {
    if (v.is_string()) return v.as_string();
    return std::nullopt;
}

Value fn_now(Evaluator& ev, Args& a, const Value&) {
    return Value::string(format_datetime(ev.now_millis(), opt_string(arg(a, 0)), opt_string(arg(a, 1))));
}

Value fn_millis(Evaluator& ev, Args&, const Value&) { return Value::number(ev.now_millis()); }

// Milliseconds outside Date's range are D1001 (the reference formats an invalid Date into NaN fields).
Value fn_from_millis(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    if (!in_date_range(number_arg(ev, a, 0))) fail("D1001", ev.position, {}, describe(arg(a, 0)));
    return Value::string(format_datetime(number_arg(ev, a, 0), opt_string(arg(a, 1)), opt_string(arg(a, 2))));
}

Value fn_to_millis(Evaluator& ev, Args& a, const Value&) {
    if (arg(a, 0).undefined()) return Value();
    const std::string& s = string_arg(ev, a, 0);
    if (arg(a, 1).undefined()) {
        auto t = parse_iso(s);
        if (!t) fail("D3110", ev.position, "toMillis", describe(a[0]));
        return Value::number(*t);
    }
    auto t = parse_datetime(ev, s, string_arg(ev, a, 1));
    return t ? Value::number(*t) : Value();
}

}  // namespace

void add_datetime_functions(std::vector<Builtin>& t) {
    t.push_back({"now", "<s?s?:s>", 2, fn_now, nullptr});
    t.push_back({"millis", "<:n>", 0, fn_millis, nullptr});
    t.push_back({"fromMillis", "<n-s?s?:s>", 3, fn_from_millis, nullptr});
    t.push_back({"toMillis", "<s-s?:n>", 2, fn_to_millis, nullptr});
}

}  // namespace sfn::jsonata::detail
