package io.tollbooth.portal.pricing;

import io.tollbooth.usage.event.TokenKind;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link TokenKind} as its lower-case code, as the {@code price.token_kind} check constraint expects. */
@Converter
public class TokenKindConverter implements AttributeConverter<TokenKind, String> {

    @Override
    public String convertToDatabaseColumn(TokenKind kind) {
        return kind == null ? null : kind.code();
    }

    @Override
    public TokenKind convertToEntityAttribute(String code) {
        return code == null ? null : TokenKind.ofCode(code);
    }
}
