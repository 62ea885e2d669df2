package io.tollbooth.portal.web;

import io.tollbooth.portal.access.Caller;
import io.tollbooth.portal.access.Roles;
import java.util.Locale;

/**
 * What every operator and finance page shows around its content: who is signed in, which of the staff pages they
 * may open, and the viewer's language.
 *
 * @param language the viewer's language as a BCP 47 tag, for the page's {@code lang}
 * @param active the navigation entry of the page, for example {@code invoices} or {@code exports}
 * @param operator whether the viewer holds the operator role (and so sees the operator's pages)
 */
public record StaffFrame(String userName, String language, String active, boolean operator) {

    static StaffFrame of(Caller caller, Locale locale, String active) {
        return new StaffFrame(caller.name(), locale.toLanguageTag(), active, caller.hasRole(Roles.OPERATOR));
    }
}
