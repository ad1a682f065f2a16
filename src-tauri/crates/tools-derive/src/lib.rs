//! `#[derive(ToolArgs)]` for a DARK8 tool's argument struct.
//!
//! A field marked `#[tool(path)]`, `#[tool(url)]`, `#[tool(domain)]` or `#[tool(command)]`
//! is what the executor's policy judges: every path must stay inside the workspace, every URL
//! and domain goes through the domain rules, the command line through the command rules. The
//! field may be a `String`, a `PathBuf`, an `Option` of one or a `Vec` of them (the trait
//! `dark8_tools::declare::ArgText` says which); an unmarked field is not looked at.
//!
//! ```ignore
//! #[derive(Deserialize, JsonSchema, ToolArgs)]
//! struct Args {
//!     #[tool(path)]
//!     path: String,
//! }
//! ```

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{parse_macro_input, Data, DeriveInput, Field, Fields, Ident};

/// Implements `dark8_tools::declare::ToolArgs` from the `#[tool(...)]` field markers.
#[proc_macro_derive(ToolArgs, attributes(tool))]
pub fn derive_tool_args(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// What a marked field names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Path,
    Url,
    Domain,
    Command,
}

impl Mark {
    fn parse(ident: &Ident) -> syn::Result<Mark> {
        match ident.to_string().as_str() {
            "path" => Ok(Mark::Path),
            "url" => Ok(Mark::Url),
            "domain" => Ok(Mark::Domain),
            "command" => Ok(Mark::Command),
            other => Err(syn::Error::new(
                ident.span(),
                format!("unknown tool marker `{other}`: use path, url, domain or command"),
            )),
        }
    }
}

/// Pushes a marked field's texts onto `found`; a field type that cannot carry text is an
/// error at that field's type.
fn push(field: &Field) -> Tokens {
    let name = &field.ident;
    quote_spanned! {field.ty.span()=>
        ::dark8_tools::declare::ArgText::collect_into(&self.#name, &mut found);
    }
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let fields =
        match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named.named.iter().collect::<Vec<_>>(),
                Fields::Unit => Vec::new(),
                Fields::Unnamed(_) => {
                    return Err(syn::Error::new(
                        input.span(),
                        "ToolArgs needs a struct with named fields",
                    ))
                }
            },
            _ => return Err(syn::Error::new(
                input.span(),
                "ToolArgs can only be derived for a struct (a tool's arguments are a JSON object)",
            )),
        };
    let mut by_mark: Vec<(Mark, Vec<&Field>)> =
        [Mark::Path, Mark::Url, Mark::Domain, Mark::Command]
            .into_iter()
            .map(|mark| (mark, Vec::new()))
            .collect();
    for field in &fields {
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("tool")) {
            attr.parse_nested_meta(|meta| {
                let ident = meta
                    .path
                    .get_ident()
                    .ok_or_else(|| meta.error("expected path, url, domain or command"))?;
                let mark = Mark::parse(ident)?;
                if let Some((_, marked)) = by_mark.iter_mut().find(|(m, _)| *m == mark) {
                    marked.push(field);
                }
                Ok(())
            })?;
        }
    }
    let collect = |mark: Mark| -> Tokens {
        let pushes = by_mark
            .iter()
            .find(|(m, _)| *m == mark)
            .map(|(_, marked)| marked.iter().map(|field| push(field)).collect::<Vec<_>>())
            .unwrap_or_default();
        quote! {
            let mut found = ::std::vec::Vec::new();
            #( #pushes )*
            found
        }
    };
    let commands = by_mark
        .iter()
        .find(|(m, _)| *m == Mark::Command)
        .map(|(_, names)| names.clone())
        .unwrap_or_default();
    if let Some(second) = commands.get(1) {
        return Err(syn::Error::new(
            second.ident.span(),
            "only one field can be #[tool(command)]: a call runs one command line",
        ));
    }
    let (paths, urls, domains) = (
        collect(Mark::Path),
        collect(Mark::Url),
        collect(Mark::Domain),
    );
    let command = match commands.first() {
        Some(field) => {
            let push = push(field);
            quote! {
                let mut found = ::std::vec::Vec::new();
                #push
                found.into_iter().next()
            }
        }
        None => quote! { ::std::option::Option::None },
    };
    let ty = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    Ok(quote! {
        impl #impl_generics ::dark8_tools::declare::ToolArgs for #ty #ty_generics #where_clause {
            fn paths(&self) -> ::std::vec::Vec<::std::string::String> { #paths }
            fn urls(&self) -> ::std::vec::Vec<::std::string::String> { #urls }
            fn domains(&self) -> ::std::vec::Vec<::std::string::String> { #domains }
            fn command_line(&self) -> ::std::option::Option<::std::string::String> { #command }
        }
    })
}
