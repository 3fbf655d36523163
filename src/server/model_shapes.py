"""Shared by gen_api_model.py and gen_response_models.py: the shapes of an AWS API model (service-2.json)
reachable from some root shapes, stripped to the keys the server reads, and the C++ source that embeds a
JSON document as chunked raw string literals."""
import json


def reachable(model, roots, keep):
    """{shape name: shape with only the `keep` keys, member/key/value references as bare shape names}."""
    wanted = set()

    def visit(shape_name):
        if shape_name in wanted:
            return
        wanted.add(shape_name)
        shape = model["shapes"][shape_name]
        for member in shape.get("members", {}).values():
            visit(member["shape"])
        for key in ("member", "key", "value"):
            if key in shape:
                visit(shape[key]["shape"])

    for root in roots:
        visit(root)
    shapes = {}
    for name in sorted(wanted):
        shape = model["shapes"][name]
        out = {}
        for key in keep:
            if key not in shape:
                continue
            if key == "members":
                out[key] = {m: v["shape"] for m, v in shape[key].items()}
            elif key in ("member", "key", "value"):
                out[key] = shape[key]["shape"]
            else:
                out[key] = shape[key]
        shapes[name] = out
    return shapes


def print_cpp(document, comment_lines, include, array_name):
    """Prints a .cpp defining `const char* const <array_name>[]`: `document` as compact JSON in chunks."""
    text = json.dumps(document, separators=(",", ":"), sort_keys=True)
    chunks = [text[i:i + 4000] for i in range(0, len(text), 4000)]
    for line in comment_lines:
        print("// " + line)
    print('#include "' + include + '"\n')
    print("namespace sfn::server::detail {\n")
    print("const char* const " + array_name + "[] = {")
    for chunk in chunks:
        print('    R"SFNMODEL(' + chunk + ')SFNMODEL",')
    print("    nullptr,\n};\n")
    print("}  // namespace sfn::server::detail")
